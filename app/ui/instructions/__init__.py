"""The Instructions page: board or feed, the instruction and request forms, alerts."""
