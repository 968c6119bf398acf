"""Emoji verification in the window: the Verify… action, the prompt, the dialog."""
