"""The shared timeline: rows and their delegate, entries, verification, files, search."""
