"""The open round page: pose a round, propose, vote, steer the clock."""
