"""The spec's emoji names in the interface language.

Each name is a literal here so that lupdate files it (context ``SasEmoji``); the Arabic
ones are the spec's own translations (matrix-spec ``data-definitions/sas-emoji.json``),
so a user compares the same words Element shows.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.verification import EMOJI

translate = QCoreApplication.translate


def emoji_names() -> tuple[str, ...]:
    """All 64 names, by emoji number, translated now (the language may change)."""
    return (
        translate("SasEmoji", "Dog"),
        translate("SasEmoji", "Cat"),
        translate("SasEmoji", "Lion"),
        translate("SasEmoji", "Horse"),
        translate("SasEmoji", "Unicorn"),
        translate("SasEmoji", "Pig"),
        translate("SasEmoji", "Elephant"),
        translate("SasEmoji", "Rabbit"),
        translate("SasEmoji", "Panda"),
        translate("SasEmoji", "Rooster"),
        translate("SasEmoji", "Penguin"),
        translate("SasEmoji", "Turtle"),
        translate("SasEmoji", "Fish"),
        translate("SasEmoji", "Octopus"),
        translate("SasEmoji", "Butterfly"),
        translate("SasEmoji", "Flower"),
        translate("SasEmoji", "Tree"),
        translate("SasEmoji", "Cactus"),
        translate("SasEmoji", "Mushroom"),
        translate("SasEmoji", "Globe"),
        translate("SasEmoji", "Moon"),
        translate("SasEmoji", "Cloud"),
        translate("SasEmoji", "Fire"),
        translate("SasEmoji", "Banana"),
        translate("SasEmoji", "Apple"),
        translate("SasEmoji", "Strawberry"),
        translate("SasEmoji", "Corn"),
        translate("SasEmoji", "Pizza"),
        translate("SasEmoji", "Cake"),
        translate("SasEmoji", "Heart"),
        translate("SasEmoji", "Smiley"),
        translate("SasEmoji", "Robot"),
        translate("SasEmoji", "Hat"),
        translate("SasEmoji", "Glasses"),
        translate("SasEmoji", "Spanner"),
        translate("SasEmoji", "Santa"),
        translate("SasEmoji", "Thumbs Up"),
        translate("SasEmoji", "Umbrella"),
        translate("SasEmoji", "Hourglass"),
        translate("SasEmoji", "Clock"),
        translate("SasEmoji", "Gift"),
        translate("SasEmoji", "Light Bulb"),
        translate("SasEmoji", "Book"),
        translate("SasEmoji", "Pencil"),
        translate("SasEmoji", "Paperclip"),
        translate("SasEmoji", "Scissors"),
        translate("SasEmoji", "Lock"),
        translate("SasEmoji", "Key"),
        translate("SasEmoji", "Hammer"),
        translate("SasEmoji", "Telephone"),
        translate("SasEmoji", "Flag"),
        translate("SasEmoji", "Train"),
        translate("SasEmoji", "Bicycle"),
        translate("SasEmoji", "Aeroplane"),
        translate("SasEmoji", "Rocket"),
        translate("SasEmoji", "Trophy"),
        translate("SasEmoji", "Ball"),
        translate("SasEmoji", "Guitar"),
        translate("SasEmoji", "Trumpet"),
        translate("SasEmoji", "Bell"),
        translate("SasEmoji", "Anchor"),
        translate("SasEmoji", "Headphones"),
        translate("SasEmoji", "Folder"),
        translate("SasEmoji", "Pin"),
    )


def emoji_cell(index: int) -> tuple[str, str]:
    """(emoji, translated name) of one emoji number."""
    return EMOJI[index][0], emoji_names()[index]
