"""Failures the user must understand, named by what went wrong rather than by library."""

from __future__ import annotations

import enum
import errno


class LoginProblem(enum.StrEnum):
    """Why a login or a restore did not work; the UI turns each into a sentence."""

    BAD_INPUT = "bad_input"  # the form itself is wrong (empty user, malformed URL)
    UNREACHABLE = "unreachable"  # nothing answers at that address
    NOT_MATRIX = "not_matrix"  # something answers, but it is not a Matrix homeserver
    BAD_CREDENTIALS = "bad_credentials"  # wrong user name or password
    TOKEN_REVOKED = "token_revoked"  # a stored login was signed out elsewhere
    SERVER_ERROR = "server_error"  # the homeserver answered with an unexpected error
    ARCHIVE_LOCKED = "archive_locked"  # the archive's passphrase was asked for, not given


class LoginFailed(Exception):
    """A login attempt failed for a reason the user can act on."""

    def __init__(self, problem: LoginProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


class SendProblem(enum.StrEnum):
    """Why a send attempt did not go out; only TRANSIENT is retried automatically."""

    TRANSIENT = "transient"  # network down, server restarting, room not synced yet
    REFUSED = "refused"  # the server refused it for good (forbidden, too large, bad JSON)


# Why a row failed when the server's own list of our rooms does not hold its room: we were
# removed or left (in this run or before it), or the room was never joined. Stored as the
# row's error; the window words it in the user's language (``app.ui.texts.send_failure``).
NOT_A_MEMBER = "not sent: we are not a member of this room"


class SendFailed(Exception):
    """A send attempt failed; the outbox decides whether to retry.

    ``errcode`` is the server's Matrix error code when it answered with one (e.g.
    ``M_FORBIDDEN``), "" otherwise: callers that act on a particular refusal read it
    rather than parse ``detail``, which is for people."""

    def __init__(self, problem: SendProblem, detail: str, errcode: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}")
        self.problem = problem
        self.detail = detail
        self.errcode = errcode


class ConnectionLost(Exception):
    """The homeserver did not answer; the sync loop backs off and tries again."""


_DISK_FULL_TEXTS = ("database or disk is full", "no space left on device", "the disk is full")


def disk_full(exc: BaseException) -> bool:
    """Whether a failure, or any failure it was raised from, is a full disk.

    Storage libraries wrap ENOSPC differently (SQLite says "database or disk is full",
    Python an OSError), and the user must hear "the disk is full" rather than a
    database's complaint, so the whole chain of causes is looked at.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return True
        if any(text in str(current).lower() for text in _DISK_FULL_TEXTS):
            return True
        current = current.__cause__ or current.__context__
    return False
