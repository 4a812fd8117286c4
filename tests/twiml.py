"""Reading TwiML documents in tests."""
from __future__ import annotations

import xml.etree.ElementTree as ET


def spoken(root: ET.Element) -> list[str]:
    """Every text the caller hears in a TwiML document, in order."""
    return [say.text or "" for say in root.iter("Say")]


def spoken_text(root: ET.Element) -> str:
    """All spoken text as one string."""
    return " ".join(spoken(root))


def gather_of(root: ET.Element) -> ET.Element:
    """The document's one Gather."""
    gathers = root.findall("Gather")
    assert len(gathers) == 1, ET.tostring(root)
    return gathers[0]


def verbs(root: ET.Element) -> list[str]:
    """The top-level verbs of the document."""
    return [child.tag for child in root]
