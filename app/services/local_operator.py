"""The embedded homeserver's local operator: the facilitator account `oor --embedded`
signs in as, created once and remembered in the data dir."""

from __future__ import annotations

import json
from pathlib import Path

from app.core.private_files import write_private_json
from app.homeserver import Account, EmbeddedHomeserver, HomeserverError

LOCAL_OPERATOR = "operator"
LOCAL_OPERATOR_NAME = "Crisis centre"  # who the others see convening the session


def local_operator(homeserver: EmbeddedHomeserver, path: Path) -> Account:
    """The embedded server's facilitator account, created once and remembered (mode 0600).

    The password exists only in this file, so it is written all-or-nothing; a file that
    is damaged anyway (edited by hand, a disk fault) is a HomeserverError saying where.
    """
    if not path.exists():
        account = homeserver.create_account(
            LOCAL_OPERATOR, admin=True, display_name=LOCAL_OPERATOR_NAME
        )
        saved = {"user_id": account.user_id, "localpart": account.localpart}
        try:
            write_private_json(path, {**saved, "password": account.password})
        except OSError as exc:
            raise HomeserverError(f"Cannot save the local operator login in {path}: {exc}") from exc
        return account
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HomeserverError(f"Cannot read the local operator login in {path}: {exc}") from exc
    try:
        saved = json.loads(text)
        return Account(str(saved["user_id"]), str(saved["localpart"]), str(saved["password"]))
    except (ValueError, TypeError, KeyError) as exc:
        raise HomeserverError(
            f"The local operator login in {path} is damaged; sign in with another account, "
            "or remove the file and the embedded homeserver's data to start afresh."
        ) from exc
