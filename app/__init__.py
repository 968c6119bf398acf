"""Open Operations Room: a Matrix-backed crisis room for digital diplomacy."""

__version__ = "0.1.0"
