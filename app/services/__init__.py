"""Use cases, Qt-free and async: the UI and the CLI both call these."""
