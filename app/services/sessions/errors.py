"""The one error every session step raises, in a module of its own so that the steps
(convening, membership, reading the server's state) can share it without importing the
``Sessions`` facade that puts them together."""


class SessionError(Exception):
    """A session operation that cannot be done; the message says why, for a person."""
