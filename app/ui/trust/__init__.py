"""This device's cross-signing in the window: the prompt to set it up or verify it."""
