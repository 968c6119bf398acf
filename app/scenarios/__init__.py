"""Scenarios shipped with the app (package data): the built-in exercise for `oor demo`."""

from pathlib import Path

CORRIDOR = Path(__file__).with_name("corridor.yaml")
