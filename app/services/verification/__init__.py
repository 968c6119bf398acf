"""Emoji verification as a use case. The UI imports only ``notices`` from here; the
feature itself (``service``) is built by ``app.services.features``."""
