"""Emoji verification as every layer sees it: the spec's emoji table, the phases of a
verification, and the plain snapshot that travels from the Matrix layer to the UI.

Pure data on purpose: the Matrix layer runs the protocol (it needs nio and vodozemac),
the services turn snapshots into notices, the UI paints them; none of them has to
agree with another on anything but these types.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# The spec's SAS emoji, by number (matrix-spec data-definitions/sas-emoji.json): the
# character and its English description. Every client shows the same seven.
EMOJI: tuple[tuple[str, str], ...] = (
    ("🐶", "Dog"),
    ("🐱", "Cat"),
    ("🦁", "Lion"),
    ("🐎", "Horse"),
    ("🦄", "Unicorn"),
    ("🐷", "Pig"),
    ("🐘", "Elephant"),
    ("🐰", "Rabbit"),
    ("🐼", "Panda"),
    ("🐓", "Rooster"),
    ("🐧", "Penguin"),
    ("🐢", "Turtle"),
    ("🐟", "Fish"),
    ("🐙", "Octopus"),
    ("🦋", "Butterfly"),
    ("🌷", "Flower"),
    ("🌳", "Tree"),
    ("🌵", "Cactus"),
    ("🍄", "Mushroom"),
    ("🌏", "Globe"),
    ("🌙", "Moon"),
    ("☁️", "Cloud"),
    ("🔥", "Fire"),
    ("🍌", "Banana"),
    ("🍎", "Apple"),
    ("🍓", "Strawberry"),
    ("🌽", "Corn"),
    ("🍕", "Pizza"),
    ("🎂", "Cake"),
    ("❤️", "Heart"),
    ("😀", "Smiley"),
    ("🤖", "Robot"),
    ("🎩", "Hat"),
    ("👓", "Glasses"),
    ("🔧", "Spanner"),
    ("🎅", "Santa"),
    ("👍", "Thumbs Up"),
    ("☂️", "Umbrella"),
    ("⌛", "Hourglass"),
    ("⏰", "Clock"),
    ("🎁", "Gift"),
    ("💡", "Light Bulb"),
    ("📕", "Book"),
    ("✏️", "Pencil"),
    ("📎", "Paperclip"),
    ("✂️", "Scissors"),
    ("🔒", "Lock"),
    ("🔑", "Key"),
    ("🔨", "Hammer"),
    ("☎️", "Telephone"),
    ("🏁", "Flag"),
    ("🚂", "Train"),
    ("🚲", "Bicycle"),
    ("✈️", "Aeroplane"),
    ("🚀", "Rocket"),
    ("🏆", "Trophy"),
    ("⚽", "Ball"),
    ("🎸", "Guitar"),
    ("🎺", "Trumpet"),
    ("🔔", "Bell"),
    ("⚓", "Anchor"),
    ("🎧", "Headphones"),
    ("📁", "Folder"),
    ("📌", "Pin"),
)


class Phase(enum.StrEnum):
    """Where one verification stands, as a person would say it."""

    REQUESTED = "requested"  # asked; the other side has not answered (or we must answer)
    READY = "ready"  # both sides agreed to verify; the emoji exchange is starting
    STARTED = "started"  # keys are being exchanged
    SHOWING = "showing"  # the emoji are on screen on both sides: compare them
    CONFIRMED = "confirmed"  # we said they match; waiting for the other side to say so
    DONE = "done"  # both matched: the other device is verified
    CANCELLED = "cancelled"


class Transport(enum.StrEnum):
    TO_DEVICE = "to_device"  # between two devices directly (our own devices, matrix-nio)
    ROOM = "room"  # in a room both people share (another person, as Element does it)


# Why a verification ended (the spec's cancellation codes); the UI has a sentence for each.
USER = "m.user"
TIMEOUT = "m.timeout"
UNKNOWN_TRANSACTION = "m.unknown_transaction"
UNKNOWN_METHOD = "m.unknown_method"
UNEXPECTED_MESSAGE = "m.unexpected_message"
KEY_MISMATCH = "m.key_mismatch"
USER_MISMATCH = "m.user_mismatch"
INVALID_MESSAGE = "m.invalid_message"
ACCEPTED_ELSEWHERE = "m.accepted"
MISMATCHED_COMMITMENT = "m.mismatched_commitment"
MISMATCHED_SAS = "m.mismatched_sas"
# Ours (namespaced, as the spec asks of custom codes): the other side's key is one whose
# private half is public, so the emoji could match under a man in the middle.
KNOWN_KEY = "org.openopsroom.known_key"


@dataclass(frozen=True, slots=True)
class VerificationView:
    """One verification as the UI shows it. key is ours (stable from the first click,
    before the server has named the request); emoji holds indices into EMOJI."""

    key: str
    other_user: str
    other_device: str
    transport: Transport
    incoming: bool  # the other side asked: we must accept or decline
    phase: Phase
    emoji: tuple[int, ...] = ()
    decimals: tuple[int, ...] = ()
    cancel_code: str = ""
    cancelled_by_us: bool = False
    reason: str = ""  # the other side's words, or ours, when cancelled

    @property
    def finished(self) -> bool:
        return self.phase in (Phase.DONE, Phase.CANCELLED)
