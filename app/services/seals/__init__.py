"""Witnessed records: this client's seals of its record, and its judgement of others'."""

from app.services.seals.service import Seals

__all__ = ["Seals"]
