"""Cleaning what users send before the bot reads it, the same for every channel.

- Characters that cannot be stored or shown (lone surrogates, NUL and other control
  characters, bidi overrides) are removed; text is NFC-normalised.
- A run of more than MAX_SYMBOL_RUN punctuation or symbol characters ("!!!!!!...", "'''...",
  ":(:(:(...") is cut to that length: spaCy's tokenizer takes quadratic time on such a run
  (measured: 2,000 apostrophes, 1.3 s), and no word or crisis signal is lost.
- Whatever a client sends is first cut to MAX_RAW_MESSAGE_CHARS (default 20,000): nothing
  below reads more than that, so the cost of a message is bounded.
- Very long messages are cut for understanding (MAX_MESSAGE_CHARS, default 2,000): the NLU
  cost grows with length and a relative's question fits well within that. The crisis lexicon
  still reads the whole (raw-capped) message: the crisis passage beyond the cut is moved to
  the front, and the crisis grading of the whole message travels with the cut text in the
  message metadata (`CRISIS_KEY`), so `bot.nlu.crisis_override.CrisisOverride` answers a
  crisis even when no passage of the cut text shows it (a rule whose parts lie far apart).
  The channels must drop that key from what the client sends.
- An empty message becomes the help request (`/help`), so the user gets the menu.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from bot.safety.crisis import detect_crisis
from bot.safety.risk import grade_whole
from bot.settings import env_int

HELP_PAYLOAD = "/help"
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)


# Metadata key: the crisis grading ({"level", "danger", "category"}) of a message that was cut,
# computed on the whole (raw-capped) text. Set only here; never accepted from a client.
CRISIS_KEY = "crisis_before_cut"


MAX_SYMBOL_RUN = 10
_SYMBOL_RUN = re.compile(r"([^\w\s]{%d})[^\w\s]+" % MAX_SYMBOL_RUN)


def max_chars() -> int:
    """MAX_MESSAGE_CHARS (default 2,000; a value under 1 gives the default)."""
    return env_int("MAX_MESSAGE_CHARS", 2000, minimum=1, clamp=False)


def max_raw_chars() -> int:
    """MAX_RAW_MESSAGE_CHARS (default 20,000; a value under 1 gives the default)."""
    return env_int("MAX_RAW_MESSAGE_CHARS", 20000, minimum=1, clamp=False)


@dataclass(frozen=True)
class CleanText:
    text: str
    original_length: int
    truncated: bool
    crisis: Optional[dict] = None  # the grading of the whole text when it was cut

    def metadata(self) -> dict:
        if not self.truncated:
            return {}
        out: dict = {"truncated_from": self.original_length}
        if self.crisis:
            out[CRISIS_KEY] = dict(self.crisis)
        return out


_CHUNK = 3000  # the excerpt search reads chunks of this size before it reads windows


def _crisis_excerpt(text: str, width: int = 300, step: int = 200) -> Optional[str]:
    """The first window of the text in which the crisis lexicon matches. Windows are read
    only in chunks where the lexicon matches, so a long text costs a few lexicon calls per
    chunk rather than one per window."""
    for chunk_start in range(0, max(1, len(text) - width + step), _CHUNK):
        chunk = text[chunk_start:chunk_start + _CHUNK + width]
        if not detect_crisis(chunk):
            continue
        for start in range(0, max(1, min(len(chunk), _CHUNK + step) - width + step), step):
            window = chunk[start:start + width]
            if detect_crisis(window):
                return window.strip()
    return None


def clean_user_text(raw: object, limit: Optional[int] = None) -> CleanText:
    """The text the bot should read (see the module docstring)."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    original_length = len(text)
    raw_limit = max_raw_chars()
    if len(text) > raw_limit:  # before any analysis: nothing below reads more than this
        text = text[:raw_limit]
    text = _UNWANTED.sub("", unicodedata.normalize("NFC", _UNWANTED.sub("", text))).strip()
    text = _SYMBOL_RUN.sub(r"\1", text)
    if not text:
        return CleanText(HELP_PAYLOAD, original_length, False)
    limit = limit or max_chars()
    if len(text) <= limit:
        return CleanText(text, original_length, False)
    head = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    match = detect_crisis(text)
    if match is not None and not detect_crisis(head):
        excerpt = _crisis_excerpt(text[max(0, len(head) - 100):])
        if excerpt:
            head = excerpt + " " + head[: max(0, limit - len(excerpt) - 1)]
    # the whole text's grading travels with the cut text (without the page's mode, unknown
    # here: CrisisOverride adjusts the danger for it)
    risk = grade_whole(text, match=match) if match is not None else None
    return CleanText(head, original_length, True, risk.as_dict() if risk else None)
