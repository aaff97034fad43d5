"""Cleaning what users send before the bot reads it, the same for every channel.

- Characters that cannot be stored or shown (lone surrogates, NUL and other control
  characters, bidi overrides) are removed; text is NFC-normalised.
- Very long messages are cut for understanding (MAX_MESSAGE_CHARS, default 2,000): the NLU
  cost grows with length and a relative's question fits well within that. The crisis lexicon
  still reads the whole message: the crisis passage beyond the cut is moved to the front,
  so the crisis rule still fires.
- An empty message becomes the help request (`/help`), so the user gets the menu.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from bot.safety.crisis import detect_crisis

HELP_PAYLOAD = "/help"
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)


def max_chars() -> int:
    return int(os.environ.get("MAX_MESSAGE_CHARS", "2000"))


@dataclass(frozen=True)
class CleanText:
    text: str
    original_length: int
    truncated: bool

    def metadata(self) -> dict:
        return {"truncated_from": self.original_length} if self.truncated else {}


def _crisis_excerpt(text: str, width: int = 300, step: int = 200) -> Optional[str]:
    """The first window of the text in which the crisis lexicon matches."""
    for start in range(0, max(1, len(text) - width + step), step):
        window = text[start:start + width]
        if detect_crisis(window):
            return window.strip()
    return None


def clean_user_text(raw: object, limit: Optional[int] = None) -> CleanText:
    """The text the bot should read (see the module docstring)."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    original_length = len(text)
    text = _UNWANTED.sub("", unicodedata.normalize("NFC", _UNWANTED.sub("", text))).strip()
    if not text:
        return CleanText(HELP_PAYLOAD, original_length, False)
    limit = limit or max_chars()
    if len(text) <= limit:
        return CleanText(text, original_length, False)
    head = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    if detect_crisis(text) and not detect_crisis(head):
        excerpt = _crisis_excerpt(text[max(0, len(head) - 100):])
        if excerpt:
            head = excerpt + " " + head[: max(0, limit - len(excerpt) - 1)]
    return CleanText(head, original_length, True)
