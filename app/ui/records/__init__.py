"""Session → Export record…: the session's record written to a folder the user chooses."""
