"""The only package that imports Qt: windows, views and item models, no business rules."""

from app.ui import import_check

import_check.install()  # first thing: every module the UI imports after this is cheaper
