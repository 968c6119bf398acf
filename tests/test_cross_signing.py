"""Cross-signing on a real Synapse, checked from outside: the keys the app makes at its
first sign-in, and a second device that becomes cross-signed by the recovery key.

Every signature is verified by ``tests.cross_signing_peer`` (``cryptography`` and its own
canonical JSON) on what Synapse's ``/keys/query`` returns, not by the code that made it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import SendFailed
from app.core.text import isolate
from app.core.trust import judge_user
from app.core.trust.states import TrustState
from app.homeserver import EmbeddedHomeserver
from app.services.notices import (
    IdentitiesChanged,
    Problem,
    Recovery,
    RecoveryChanged,
    TrustChanged,
)
from app.services.trust.cross_signing import CrossSigning
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.rows import RowKind, TimelineRow
from tests.cross_signing_peer import (
    CrossSigningPeer,
    device_cross_signed,
    public_of,
    query,
    verify,
)
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client


def told(peer: Peer, state: Recovery) -> bool:
    return any(isinstance(n, RecoveryChanged) and n.state is state for n in peer.notices)


async def test_first_sign_in_makes_keys_that_sign_the_device_and_a_new_device_restores_them(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("xs")
    first = await Peer(tmp_path / "first", account).login(homeserver)
    try:
        creds = first.account.client.creds
        reply = await query(homeserver.url, creds.access_token, creds.user_id)
        master = reply["master_keys"][creds.user_id]
        usk = reply["user_signing_keys"][creds.user_id]
        master_public = public_of(master)
        assert verify(usk, creds.user_id, master_public, master_public)
        assert device_cross_signed(reply, creds.user_id, creds.device_id)

        await first.wait_for(lambda: told(first, Recovery.SET_UP_NEEDED), "the offer")
        shown = await first.backend.use("recovery", lambda r: r.set_up())
        assert shown is not None
    finally:
        await first.close()

    # A second sign-in: the account keeps its identity; this device is not cross-signed.
    second = await Peer(tmp_path / "second", account).login(homeserver)
    try:
        creds2 = second.account.client.creds
        reply = await query(homeserver.url, creds2.access_token, creds2.user_id)
        assert public_of(reply["master_keys"][creds2.user_id]) == master_public
        assert not device_cross_signed(reply, creds2.user_id, creds2.device_id)
        assert second.account.feature(CrossSigning).keys is None

        await second.wait_for(lambda: told(second, Recovery.RESTORE_OFFERED), "the offer")
        assert await second.backend.use("recovery", lambda r: r.restore(shown)) is not None
        reply = await query(homeserver.url, creds2.access_token, creds2.user_id)
        assert device_cross_signed(reply, creds2.user_id, creds2.device_id)
        assert judge_user(creds2.user_id, reply).devices[creds2.device_id].cross_signed
    finally:
        await second.close()


def trust_of(peer: Peer, user_id: str) -> TrustState | None:
    shown = [n for n in peer.notices if isinstance(n, TrustChanged)]
    return shown[-1].of(user_id) if shown else None


def identity_rows(model: TimelineModel) -> list[TimelineRow]:
    rows = [model.row(r) for r in range(model.rowCount())]
    return [r for r in rows if r.key.startswith("identity:")]


def last_warned(peer: Peer) -> IdentitiesChanged | None:
    warned = [n for n in peer.notices if isinstance(n, IdentitiesChanged)]
    return warned[-1] if warned else None


async def test_a_verified_person_whose_identity_changes_is_held_until_acknowledged(
    qapp, homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    me = await Peer(tmp_path / "me", make_account("me")).login(homeserver)
    bob_login = make_account("bob")
    raw = await raw_nio_client(homeserver, bob_login.user_id, bob_login.password, tmp_path / "b")
    try:
        bob = await CrossSigningPeer(raw, bob_login.password).set_up()
        room = await me.account.create_room("talks", (raw.user_id,))
        await raw_join(raw, room)
        await me.wait_for(lambda: me.has_joined(room, raw.user_id), "bob's join")
        await me.wait_for(
            lambda: trust_of(me, raw.user_id) is TrustState.NOT_VERIFIED, "bob not yet verified"
        )

        # "I verified this person": our user-signing key signs Bob's master key.
        await me.backend.use("trust", lambda t: t.sign_user(raw.user_id, bob.master.public))
        creds = me.account.client.creds
        reply = await query(homeserver.url, creds.access_token, creds.user_id, raw.user_id)
        usk = public_of(reply["user_signing_keys"][creds.user_id])
        assert verify(reply["master_keys"][raw.user_id], creds.user_id, usk, usk)
        await me.wait_for(lambda: trust_of(me, raw.user_id) is TrustState.VERIFIED, "verified")

        # Bob's identity is replaced: a warning, and our messages to him wait.
        await CrossSigningPeer(raw, bob_login.password).set_up()
        await me.wait_for(
            lambda: trust_of(me, raw.user_id) is TrustState.IDENTITY_CHANGED, "the new identity"
        )
        assert any(isinstance(n, Problem) and n.what == "identity_changed" for n in me.notices)
        # The shared room's timeline warns, as a row of this app (nothing sent).
        assert last_warned(me) == IdentitiesChanged(((raw.user_id, (room,)),))
        model = TimelineModel(me.user_id)
        model.load(await me.account.open_room(room))
        model.show_identities(last_warned(me))  # as the bridge hands it to the window
        (warning,) = identity_rows(model)
        assert warning.kind is RowKind.IDENTITY_CHANGED and warning.event is None
        assert warning.text == (
            f"{isolate(model.name_of(raw.user_id))}'s identity changed: "
            "verify them again before relying on what they send"
        )
        item = await me.account.send_text(room, "Are you still you?")
        with pytest.raises(SendFailed, match="held until the new identity is accepted"):
            await me.account.client.send(item)  # what the outbox worker is told, each try
        assert not me.sent(item.txn_id)
        await me.backend.use("people", lambda p: p.acknowledge_identity(raw.user_id))
        await me.wait_for(lambda: me.sent(item.txn_id), "the message sent once acknowledged")
        assert trust_of(me, raw.user_id) is TrustState.NOT_VERIFIED
        # The warning stays in the timeline, marked accepted; opened again, the same.
        assert last_warned(me) == IdentitiesChanged(())
        model.show_identities(last_warned(me))
        (accepted,) = identity_rows(model)
        assert accepted.key == warning.key and accepted.kind is RowKind.NOTICE
        assert accepted.text == f"{isolate(model.name_of(raw.user_id))}'s new identity was accepted"
        model.load(await me.account.open_room(room))
        assert identity_rows(model) == [accepted]
    finally:
        await raw.close()
        await me.close()
