"""The receiving side of the chaos run: plain matrix-nio devices, none of the app's code.

A receiver syncs (so room keys arrive as to-device messages), keeps its one-time keys
topped up as any client must, and at the end reads the room from ``/messages`` and
decrypts with what it holds. It answers nothing special and asks for nothing: what it
can read is what the sender delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    LoginResponse,
    MegolmEvent,
    MessageDirection,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomMessageText,
    RoomPreset,
    SyncResponse,
)

from app.homeserver import Account

_DOWN = (aiohttp.ClientError, asyncio.TimeoutError, TimeoutError, OSError)
_RETRY_SECONDS = 0.5  # a dead server: ask again soon (restarts take seconds)
_MEGOLM = "m.megolm.v1.aes-sha2"


@dataclass(frozen=True, slots=True)
class RoomReading:
    """What a receiver could read of one sender's messages, oldest first."""

    bodies: tuple[str, ...]
    undecryptable: int


class Receiver:
    """One plain nio device of an account, syncing in the background until closed."""

    def __init__(self, url: str, account: Account, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        # max_timeouts=0: a dead server raises at once and our loop retries soon; nio's
        # own retries back off up to a minute, which would measure nio, not the sender.
        config = AsyncClientConfig(
            encryption_enabled=True, pickle_key="chaos-receiver", max_timeouts=0
        )
        self.account = account
        self.nio = AsyncClient(url, account.user_id, store_path=str(store), config=config)
        self.synced = asyncio.Event()  # set after every sync that came back
        self._task: asyncio.Task[None] | None = None

    async def login(self, device_name: str) -> None:
        """Sign in (retrying while the server is down) and start syncing."""
        while True:
            try:
                reply = await self.nio.login(self.account.password, device_name=device_name)
            except _DOWN:
                await asyncio.sleep(_RETRY_SECONDS)
                continue
            if isinstance(reply, LoginResponse):
                break
            await asyncio.sleep(_RETRY_SECONDS)
        self._task = asyncio.create_task(self._sync_forever(), name=f"receiver-{device_name}")

    async def _sync_forever(self) -> None:
        nio = self.nio
        while True:
            try:
                if nio.should_upload_keys:
                    await nio.keys_upload()
                if nio.should_query_keys:
                    await nio.keys_query()
                reply = await nio.sync(timeout=5_000)
            except _DOWN:
                await asyncio.sleep(_RETRY_SECONDS)
                continue
            if isinstance(reply, SyncResponse):
                self.synced.set()
                self.synced.clear()
            else:
                await asyncio.sleep(_RETRY_SECONDS)

    async def next_sync(self, seconds: float) -> None:
        """Wait for the next completed sync, at most ``seconds``."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self.synced.wait()

    async def create_room(self, guest: str, rotation_msgs: int) -> str:
        """An encrypted room whose sessions rotate every ``rotation_msgs`` messages."""
        encryption = {"algorithm": _MEGOLM, "rotation_period_msgs": rotation_msgs}
        reply = await self.nio.room_create(
            name="chaos",
            invite=[guest],
            preset=RoomPreset.private_chat,
            initial_state=[{"type": "m.room.encryption", "state_key": "", "content": encryption}],
        )
        assert isinstance(reply, RoomCreateResponse), reply
        return reply.room_id

    async def read(self, room_id: str, sender: str) -> RoomReading | None:
        """The sender's messages as ``/messages`` gives them, decrypted where this device
        holds the key; None if the server cannot be asked right now."""
        token = self.nio.next_batch
        if not token:
            return None
        bodies: list[str] = []
        locked = 0
        try:
            while True:
                page = await self.nio.room_messages(
                    room_id, token, direction=MessageDirection.back, limit=100
                )
                if not isinstance(page, RoomMessagesResponse):
                    return None
                for event in page.chunk:
                    if event.sender != sender:
                        continue
                    if isinstance(event, RoomMessageText):
                        bodies.append(event.body)
                    elif isinstance(event, MegolmEvent):
                        locked += 1
                if not page.chunk or not page.end or page.end == token:
                    break
                token = page.end
        except _DOWN:
            return None
        return RoomReading(tuple(reversed(bodies)), locked)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.nio.close()
