"""The only package that imports Qt: windows, views and item models, no business rules."""
