"""Sitreps in the window: compile, edit and submit; approve or return; what was published."""
