"""Files in the timeline (images, PDFs, documents): the rules for sending and reading them.

A file travels as encrypted media (the server stores ciphertext only); the event carries
the key. What another client sends is read defensively: a message whose file description
does not fit is shown as a plain message, never opened.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 20 * 1024 * 1024  # a crisis room shares documents, not archives of them
FILE_TYPES = ("m.image", "m.file", "m.video", "m.audio")


class AttachmentError(ValueError):
    """A file the rules refuse (empty, too large, unreadable); the message says why."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """What a file message says about its file."""

    name: str
    mimetype: str
    size: int
    url: str  # mxc://…
    file: Mapping[str, Any] | None  # the decryption info; None for an unencrypted upload

    @property
    def is_image(self) -> bool:
        return self.mimetype.startswith("image/")


def mimetype_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def check_file(name: str, data: bytes) -> None:
    if not data:
        raise AttachmentError(f"{name} is empty")
    if len(data) > MAX_BYTES:
        raise AttachmentError(f"{name} is {len(data):,} bytes, more than {MAX_BYTES:,}")


def file_content(name: str, size: int, file: Mapping[str, Any]) -> dict[str, Any]:
    """Content of an encrypted file message (``file`` from the upload: url, key, iv, hashes)."""
    mimetype = mimetype_of(name)
    return {
        "msgtype": "m.image" if mimetype.startswith("image/") else "m.file",
        "body": name,
        "filename": name,
        "info": {"mimetype": mimetype, "size": size},
        "file": dict(file),
    }


def _encrypted_file(file: Any) -> bool:
    if not isinstance(file, Mapping) or not isinstance(file.get("url"), str):
        return False
    key, hashes = file.get("key"), file.get("hashes")
    return (
        isinstance(key, Mapping)
        and isinstance(key.get("k"), str)
        and isinstance(file.get("iv"), str)
        and isinstance(hashes, Mapping)
        and isinstance(hashes.get("sha256"), str)
    )


def attachment_of(content: Mapping[str, Any]) -> Attachment | None:
    """The file a message carries, or None (not a file message, or a description that
    does not fit: then it is shown as the plain message it also is)."""
    if content.get("msgtype") not in FILE_TYPES:
        return None
    info = content.get("info") if isinstance(content.get("info"), Mapping) else {}
    name = str(content.get("filename") or content.get("body") or "file")[:200]
    mimetype = info.get("mimetype") if isinstance(info.get("mimetype"), str) else ""
    size = info.get("size") if isinstance(info.get("size"), int) else 0
    file = content.get("file")
    if _encrypted_file(file):
        url, described = str(file["url"]), file
    elif isinstance(content.get("url"), str):
        url, described = str(content["url"]), None
    else:
        return None
    if not url.startswith("mxc://"):
        return None
    return Attachment(name, mimetype or mimetype_of(name), max(size, 0), url, described)
