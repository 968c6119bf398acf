"""Plotly figure builders, incremental update payloads, the dashboard page and exports.

The only package that imports plotly; it holds no Qt: figures are plain JSON-able dicts
built on the backend thread, so the UI only hands them to the page. plotly itself is
imported only by ``page`` and ``export``, which run on the backend thread.
"""
