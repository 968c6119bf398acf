"""Files in encrypted rooms: encrypted before upload, decrypted after download.

The server stores only ciphertext; the key, IV and hash travel inside the (encrypted)
event that names the file.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from nio import AsyncClient, ErrorResponse
from nio.crypto.attachments import decrypt_attachment, encrypt_attachment
from nio.exceptions import EncryptionError

from app.core.errors import SendFailed, SendProblem
from app.matrix.calls import NETWORK_ERRORS, checked, send_problem


class EncryptedMedia:
    """File transfer of a MatrixClient (a mixin: it uses the client's nio instance)."""

    _nio: AsyncClient

    async def upload_encrypted(self, data: bytes) -> dict[str, Any]:
        """Encrypt a file and upload the ciphertext; returns the ``file`` object an event
        carries (url, key, iv, hashes): the server never sees the plaintext."""
        ciphertext, keys = encrypt_attachment(data)
        try:
            resp, _ = await self._nio.upload(
                io.BytesIO(ciphertext),
                content_type="application/octet-stream",
                filesize=len(ciphertext),
            )
        except NETWORK_ERRORS as exc:
            raise SendFailed(SendProblem.TRANSIENT, str(exc) or type(exc).__name__) from exc
        if isinstance(resp, ErrorResponse):
            raise SendFailed(send_problem(resp), f"{resp.status_code}: {resp.message}")
        return {"url": resp.content_uri, **keys}

    async def download_decrypted(self, url: str, file: Mapping[str, Any] | None) -> bytes:
        """Fetch a file and decrypt it with the key its event carried (plain if ``file`` is
        None); SendFailed(REFUSED) when it does not match its hash."""
        resp = await checked(self._nio.download(mxc=url))
        if file is None:
            return bytes(resp.body)
        try:
            return decrypt_attachment(
                resp.body, file["key"]["k"], file["hashes"]["sha256"], file["iv"]
            )
        except (EncryptionError, KeyError, ValueError, TypeError) as exc:
            raise SendFailed(SendProblem.REFUSED, f"the file cannot be decrypted: {exc}") from exc
