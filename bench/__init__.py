"""Benchmarks that print figures (never assert): ``python -m bench.latency``, ``bench.startup``.

Each one starts its own embedded homeserver on loopback in a temporary directory and
stops it at the end, so a run needs nothing but this checkout and its virtualenv.
"""
