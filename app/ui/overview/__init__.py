"""The session overview: clocks, instructions by delegation, who has joined."""
