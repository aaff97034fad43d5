"""SMS logic, independent of the SMS gateway (the Twilio adapter is ``bot/channels/sms.py``).

Everything an SMS conversation needs besides HTTP: GSM-7 aware text (replacing what would
force UCS-2), segment counting, pages of at most three segments with "Svar MER for mer",
buttons as numbered choices, short links, the STOPP/HJELP/MER keywords, a per-sender rate
limit and the keyed hash that replaces the phone number. Another Norwegian gateway only needs
a small adapter that verifies its requests, calls :meth:`SmsDialogue.handle` and renders the
returned text in its own reply format.

State (pending pages and the last turn's choices) lives in memory, keyed by the sender hash,
and expires; the rate limit lives in Redis when one is configured (bot/channels/limits.py),
else in memory too. Phone numbers are never stored. Knowledge-base lookups run in a worker
thread with a timeout (``SMS_LOOKUP_TIMEOUT_SECONDS``, default 2): a slow database costs the
article's SMS version, never the reply.

``python -m bot.channels.sms_logic stats`` prints segment statistics over the knowledge base.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import inspect
import logging
import re
import statistics
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

from bot.channels.limits import Limiter, SharedState, TTLStore
from bot.settings import env_float

__all__ = ["TTLStore"]  # re-exported: its home is bot/channels/limits.py

log = logging.getLogger(__name__)

# -- GSM 03.38 ---------------------------------------------------------------------------

# The basic character set (one septet each; ESC left out: it is no text character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: ESC + character, two septets each (form feed left out).
GSM7_EXTENSION = frozenset("^{}\\[~]|€")

SINGLE_SEGMENT = 160  # septets in a single SMS
CONCAT_SEGMENT = 153  # septets per part of a concatenated SMS (7 go to the UDH)
MAX_SEGMENTS = 3  # per reply
MORE_MARKER = "Svar MER for mer"
MAX_CHOICES = 9  # single-digit replies
MAX_INBOUND_CHARS = 1600

# Typographic characters that would force UCS-2, with their GSM-7 stand-ins.
_REPLACEMENTS = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
    "…": "...", "•": "-", "·": "-", "×": "x",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200a": " ",
    "\t": " ", "\r": "",
}  # fmt: skip


def gsm7_char_ok(ch: str) -> bool:
    return ch in GSM7_BASIC or ch in GSM7_EXTENSION


def is_gsm7(text: str) -> bool:
    return all(gsm7_char_ok(ch) for ch in text)


def to_gsm7(text: str) -> str:
    """``text`` with every character outside GSM-7 replaced or dropped (emoji, symbols).

    æ ø å Æ Ø Å stay; typographic quotes and dashes become ASCII; accented letters outside
    GSM-7 lose their accent (á -> a); anything else (emoji, CJK, control characters) is
    dropped. Spaces left doubled by a dropped character are collapsed.
    """
    out: List[str] = []
    for ch in text:
        if gsm7_char_ok(ch):
            out.append(ch)
            continue
        rep = _REPLACEMENTS.get(ch)
        if rep is not None:
            out.append(rep)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c in GSM7_BASIC)
        out.append(base)
    result = "".join(out)
    result = result.replace("\r", "")
    result = re.sub(r"[ ]{2,}", " ", result)
    return result


def septets(text: str) -> int:
    """Length in GSM-7 septets (extension characters count 2). Text must be GSM-7."""
    return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)


def split_segments(text: str) -> List[str]:
    """The parts an encoder sends: one of ≤160 septets, or parts of ≤153 septets each.

    An extension character (two septets) is never split across parts.
    """
    if septets(text) <= SINGLE_SEGMENT:
        return [text] if text else []
    parts: List[str] = []
    cur: List[str] = []
    used = 0
    for ch in text:
        w = 2 if ch in GSM7_EXTENSION else 1
        if used + w > CONCAT_SEGMENT:
            parts.append("".join(cur))
            cur, used = [], 0
        cur.append(ch)
        used += w
    if cur:
        parts.append("".join(cur))
    return parts


def segment_count(text: str) -> int:
    return len(split_segments(text))


# -- text preparation ----------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"'«»]+", re.IGNORECASE)


def shorten_link(url: str) -> str:
    """``https://www.example.no/a/b/?q=1#x`` -> ``www.example.no/a/b`` (no scheme or query)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    if host.endswith(":443") or host.endswith(":80"):
        host = host.rsplit(":", 1)[0]
    path = parts.path.rstrip("/")
    return host + path


def shorten_links(text: str) -> str:
    def repl(m: re.Match) -> str:
        url = m.group(0)
        trail = ""
        while url and url[-1] in ".,;:!?)]}":
            trail = url[-1] + trail
            url = url[:-1]
        return shorten_link(url) + trail

    return _URL.sub(repl, text)


def normalise(text: str) -> str:
    """Trim lines, collapse blank lines (one line break between paragraphs saves septets)."""
    lines = [re.sub(r"[ ]{2,}", " ", ln).strip() for ln in text.replace("\r", "").split("\n")]
    out: List[str] = []
    for ln in lines:
        if ln:
            out.append(ln)
    return "\n".join(out)


def prepare(text: str) -> str:
    """Bot text as SMS: short links, GSM-7 only, compact whitespace."""
    return normalise(to_gsm7(shorten_links(text)))


# -- pages ---------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?:][\"')\]]*(?=\s)")


def _fits(text: str) -> bool:
    return septets(text) <= SINGLE_SEGMENT or segment_count(text) <= MAX_SEGMENTS


def _best_cut(text: str, limit: int) -> int:
    """Where to end a page of at most ``limit`` characters of ``text``.

    A line break or sentence end in the last 60 % of the room; else the last word boundary;
    only a single word longer than a page is cut inside.
    """
    window = text[: limit + 1]  # text[limit] being a space makes `limit` a clean cut
    floor = int(limit * 0.4)
    best = -1
    for m in _SENTENCE_END.finditer(window):
        if m.end() <= limit:
            best = max(best, m.end())
    nl = window.rfind("\n")
    if nl > 0:
        best = max(best, nl)
    if best >= floor and best > 0:
        return best
    ws = max(window.rfind(" "), window.rfind("\n"))
    if ws > 0:
        return ws
    return limit  # one word longer than a page: nothing better possible


def paginate(text: str, marker: str = MORE_MARKER) -> List[str]:
    """Split prepared (GSM-7) ``text`` into pages of at most MAX_SEGMENTS segments.

    Every page but the last ends with a line ``marker``; cuts fall on a sentence end or line
    break where one is near enough, else between words.
    """
    pages: List[str] = []
    rest = text.strip()
    suffix = "\n" + marker
    while rest:
        if _fits(rest):
            pages.append(rest)
            break
        lo, hi = 1, len(rest)  # largest n with rest[:n] + suffix fitting
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _fits(rest[:mid] + suffix):
                lo = mid
            else:
                hi = mid - 1
        cut = _best_cut(rest, lo)
        page = rest[:cut].rstrip()
        if not page:  # cannot happen with a sane marker; guard against a loop
            page, cut = rest[:lo], lo
        pages.append(page + suffix)
        rest = rest[cut:].strip()
    return pages


# -- choices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


def choices_from_buttons(buttons: Sequence[Dict[str, Any]]) -> List[Choice]:
    out: List[Choice] = []
    for b in buttons or ():
        payload = b.get("payload") or b.get("title")
        title = prepare(str(b.get("title") or payload or "")).replace("\n", " ")
        if payload and title:
            out.append(Choice(title, str(payload)))
        if len(out) >= MAX_CHOICES:
            break
    return out


def choices_prompt(n: int) -> str:
    """``Svar 1``, ``Svar 1 eller 2``, ``Svar 1, 2 eller 3`` …"""
    nums = [str(i) for i in range(1, n + 1)]
    if n <= 1:
        return "Svar 1"
    return "Svar " + ", ".join(nums[:-1]) + " eller " + nums[-1]


def render_choices(choices: Sequence[Choice]) -> str:
    if not choices:
        return ""
    lines = [f"{i} {c.title}" for i, c in enumerate(choices, 1)]
    return "\n".join(lines + [choices_prompt(len(choices))])


def choice_payload(choices: Sequence[Choice], reply: str) -> Optional[str]:
    """The payload of choice ``reply`` ("1", " 2 ", "3.") or None."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", reply or "")
    if not m:
        return None
    n = int(m.group(1))
    if 1 <= n <= len(choices):
        return choices[n - 1].payload
    return None


# -- bot replies as SMS --------------------------------------------------------------------

SmsTextLookup = Callable[[Dict[str, Any], str], Optional[str]]


def compose(
    messages: Sequence[Dict[str, Any]], sms_text: Optional[SmsTextLookup] = None
) -> Tuple[str, List[Choice]]:
    """The SMS text and choices of one bot turn (Rasa output messages: text, buttons, custom).

    ``sms_text(custom, text)`` may return the text to send instead of ``text`` (the
    article's ``sms`` version); ``None`` keeps the message text.
    """
    parts: List[str] = []
    buttons: List[Dict[str, Any]] = []
    for m in messages:
        text = m.get("text") or ""
        custom = m.get("custom")
        if sms_text is not None and isinstance(custom, dict) and custom.get("article"):
            try:
                alt = sms_text(custom, text)
            except Exception:  # the message text is always a usable fallback
                log.exception("sms text lookup failed")
                alt = None
            if alt:
                text = alt
        for key in ("image", "attachment"):
            if isinstance(m.get(key), str):
                text = (text + "\n" + m[key]).strip()
        if text.strip():
            parts.append(text)
        buttons.extend(m.get("buttons") or [])
    return prepare("\n".join(parts)), choices_from_buttons(buttons)


def render(text: str, choices: Sequence[Choice]) -> List[str]:
    block = render_choices(choices)
    full = "\n".join(p for p in (text, block) if p)
    return paginate(full)


# -- sender hash, state, rate limit --------------------------------------------------------


class SenderHasher:
    """Keyed hash (HMAC-SHA256) of a phone number: the only sender id the bot sees."""

    def __init__(self, secret: str, prefix: str = "sms-"):
        if not secret:
            raise ValueError("a sender secret is required")
        self._key = secret.encode("utf-8")
        self._prefix = prefix

    @staticmethod
    def canonical(number: str) -> str:
        n = re.sub(r"[\s().-]", "", number or "")
        if n.startswith("00"):
            n = "+" + n[2:]
        return n

    def __call__(self, number: str) -> str:
        digest = hmac.new(self._key, self.canonical(number).encode("utf-8"), hashlib.sha256)
        return self._prefix + digest.hexdigest()


@dataclass
class SenderState:
    pages: List[str] = field(default_factory=list)  # pages not yet sent ("MER")
    choices: List[Choice] = field(default_factory=list)  # last turn's numbered choices


# -- the conversation --------------------------------------------------------------------

STOP_WORDS = {"STOPP", "STOP"}
HELP_WORDS = {"HJELP", "HELP"}
MORE_WORDS = {"MER"}

STOP_REPLY = (
    "Samtalen er avsluttet, og det du har skrevet er slettet. "
    "Send en ny melding hvis du vil spørre om noe senere."
)
RATE_REPLY = (
    "Du har sendt mange meldinger på kort tid. Vent litt, så svarer jeg igjen om en "
    "liten stund. Er det akutt, ring 113."
)
NO_MORE_REPLY = "Det er ikke mer å vise. Skriv gjerne et nytt spørsmål."
ERROR_REPLY = (
    "Beklager, noe gikk galt. Er det akutt, ring 113. Ellers kan du prøve igjen om litt."
)
STOP_FAILED_REPLY = (
    "Beklager, jeg fikk ikke slettet samtalen akkurat nå. Send STOPP igjen om litt. "
    "Er det akutt, ring 113."
)
EMPTY_REPLY = "Jeg kan bare lese tekst. Skriv spørsmålet ditt med egne ord."
HELP_INTRO = (
    "Dette er Pårørende-guiden på SMS. Skriv spørsmålet ditt med egne ord. "
    "Svar STOPP for å avslutte og slette samtalen."
)

AskBot = Callable[[str, str], Awaitable[List[Dict[str, Any]]]]
Forget = Callable[[str], Union[Awaitable[None], None]]
HandoverLookup = Callable[[], Optional[Tuple[str, str]]]


def keyword(text: str) -> str:
    return re.sub(r"[\s.!?,]+$", "", (text or "").strip()).upper()


class SmsDialogue:
    """Gateway-independent handling of one inbound SMS; returns the reply text ("" = none).

    ``ask_bot(sender, text)`` sends text to the bot and returns its messages; ``forget
    (sender)`` deletes the conversation. ``sms_text`` chooses SMS versions of articles,
    ``handover`` returns (name, phone) of the hand-over service for HJELP.
    """

    def __init__(
        self,
        *,
        rate_limit_per_min: int = 10,
        state_ttl: float = 1800.0,
        sms_text: Optional[SmsTextLookup] = None,
        handover: Optional[HandoverLookup] = None,
        clock: Callable[[], float] = None,
        shared: Optional[SharedState] = None,
        lookup_timeout: Optional[float] = None,
    ):
        self.clock = clock or time.monotonic
        self.limiter = Limiter("sms", {"sender": rate_limit_per_min}, 60.0,
                               # memory only unless the adapter passes a shared state
                               state=shared if shared is not None else SharedState(url=""),
                               clock=clock or time.time)
        self.state = TTLStore(state_ttl, clock=self.clock)
        self.sms_text = sms_text
        self.handover = handover
        self.lookup_timeout = lookup_timeout if lookup_timeout is not None else env_float(
            "SMS_LOOKUP_TIMEOUT_SECONDS", 2.0, minimum=0.1)

    def _state(self, sender: str) -> SenderState:
        st = self.state.get(sender)
        return st if st is not None else SenderState()

    async def handle(self, sender: str, text: str, ask_bot: AskBot, forget: Forget) -> str:
        text = (text or "")[:MAX_INBOUND_CHARS]
        word = keyword(text)

        if word in STOP_WORDS:  # always honoured, even when rate limited
            self.state.pop(sender)
            try:
                result = forget(sender)
                if inspect.isawaitable(result):
                    await result
            except Exception as error:  # noqa: BLE001 - tell the user honestly
                log.error("SMS STOPP: the conversation could not be deleted (%s)",
                          type(error).__name__)
                return STOP_FAILED_REPLY
            return STOP_REPLY

        verdict = await self.limiter.check(sender=sender)
        if not verdict.allowed:
            return RATE_REPLY if verdict.first_refusal else ""

        st = self._state(sender)
        if word in MORE_WORDS:
            if not st.pages:
                return NO_MORE_REPLY
            page = st.pages.pop(0)
            self.state.set(sender, st)
            return page

        if word in HELP_WORDS:
            return await self._help(sender, ask_bot)

        if not text.strip():
            return EMPTY_REPLY

        payload = choice_payload(st.choices, text)
        try:
            messages = await ask_bot(sender, payload or text.strip())
        except Exception as error:  # noqa: BLE001 - the type only: no user text in the log
            log.error("the bot failed to answer an SMS (%s)", type(error).__name__)
            return ERROR_REPLY
        body, choices = await self._compose(messages)
        return self._reply(sender, body, choices)

    async def _off_loop(self, work: Callable[[], Any], what: str) -> Any:
        """``work()`` in a worker thread, bounded by ``lookup_timeout``; raises on timeout."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(work), self.lookup_timeout)
        except asyncio.TimeoutError:
            log.warning("SMS: %s took longer than %.1f s; answering without it", what,
                        self.lookup_timeout)
            raise

    async def _compose(self, messages: Sequence[Dict[str, Any]],
                       with_sms_text: bool = True) -> Tuple[str, List[Choice]]:
        """``compose`` with the article lookups off the event loop; on a slow or failing
        knowledge base the messages' own text."""
        lookup = self.sms_text if with_sms_text else None
        needs_lookup = lookup is not None and any(
            isinstance(m.get("custom"), dict) and m["custom"].get("article") for m in messages)
        if not needs_lookup:
            return compose(messages)
        try:
            return await self._off_loop(lambda: compose(messages, lookup), "the SMS text lookup")
        except Exception:  # noqa: BLE001 - the message text is always a usable fallback
            return compose(messages)

    def _reply(self, sender: str, body: str, choices: List[Choice]) -> str:
        pages = render(body, choices)
        self.state.set(sender, SenderState(pages=pages[1:], choices=list(choices)))
        return pages[0] if pages else ""

    async def _help(self, sender: str, ask_bot: AskBot) -> str:
        lines = [HELP_INTRO]
        found = None
        if self.handover is not None:
            try:
                found = await self._off_loop(self.handover, "the hand-over lookup")
            except Exception as error:  # noqa: BLE001 - the bot composes it instead
                log.error("hand-over service lookup failed (%s)", type(error).__name__)
        choices: List[Choice] = []
        try:
            menu = await ask_bot(sender, "/help")
            _, choices = compose(menu)
        except Exception as error:  # noqa: BLE001
            log.error("the bot failed to answer /help (%s)", type(error).__name__)
        if found and found[1]:
            lines.append(f"Vil du snakke med et menneske? Ring {found[0]}: {found[1]}.")
        else:  # let the action server compose the hand-over from the knowledge base
            try:
                body, _ = await self._compose(await ask_bot(sender, "/handover"))
                if body:
                    lines.append(body)
            except Exception as error:  # noqa: BLE001
                log.error("the bot failed to answer /handover (%s)", type(error).__name__)
        return self._reply(sender, prepare("\n".join(lines)), choices)


# -- knowledge base access (for the adapter and the statistics) -------------------------------


class KnowledgeLookups:
    """SMS texts of articles and the hand-over service, read from the knowledge base.

    Opens the repository lazily (``KB_URL``) without loading YAML (the action server does
    that) and re-reads when the stored content fingerprint changed.
    """

    def __init__(self, kb_url: Optional[str] = None, handover_service: str = "parorendelinjen",
                 reload_seconds: float = 30.0):
        self.kb_url = kb_url
        self.handover_service = handover_service
        self.reload_seconds = reload_seconds
        self._repo = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def repository(self):
        from knowledge import loader
        from knowledge.db import make_engine
        from knowledge.repository import KnowledgeRepository

        with self._lock:
            now = time.monotonic()
            if self._repo is None:
                self._repo = KnowledgeRepository(make_engine(self.kb_url))
                self._checked = now
            elif now - self._checked > self.reload_seconds:
                self._checked = now
                if loader.stored_fingerprint(self._repo.engine) != self._repo.fingerprint:
                    self._repo = KnowledgeRepository(self._repo.engine)
            return self._repo

    def sms_text(self, custom: Dict[str, Any], text: str) -> Optional[str]:
        """The article's ``sms`` text in place of its body (adult audience).

        Young-mode replies keep their (already short, plain) young text. Text the action
        added after the article body (e.g. matching organisations) is kept.
        """
        if custom.get("audience") == "young":
            return None
        article = self.repository().article(str(custom.get("article")))
        if article is None or not article.sms:
            return None
        body = article.body.strip()
        sent = (text or "").strip()
        if sent.startswith(body):
            return (article.sms.strip() + "\n" + sent[len(body):].strip()).strip()
        if not sent:
            return article.sms
        return None  # a text the action composed itself: keep it

    def handover(self) -> Optional[Tuple[str, str]]:
        service = self.repository().service(self.handover_service)
        if service is None or not service.phone:
            return None
        return service.name, service.phone


# -- statistics ---------------------------------------------------------------------------


def segment_stats(texts: Sequence[str]) -> Dict[str, Any]:
    counts = [segment_count(prepare(t)) for t in texts]
    pages = [len(paginate(prepare(t))) for t in texts]
    hist = collections.Counter(counts)
    return {
        "n": len(counts),
        "segments": {str(k): hist[k] for k in sorted(hist)},
        "max": max(counts) if counts else 0,
        "mean": round(statistics.mean(counts), 2) if counts else 0,
        "over_3_segments": sum(1 for c in counts if c > MAX_SEGMENTS),
        "replies_needing_mer": sum(1 for p in pages if p > 1),
        "non_gsm7_chars_replaced": sum(1 for t in texts if not is_gsm7(t)),
    }


def stats(kb_url: Optional[str] = None) -> Dict[str, Any]:
    from knowledge.repository import KnowledgeRepository

    repo = KnowledgeRepository.from_url(kb_url)
    articles = sorted(repo.all_articles(), key=lambda a: a.id)
    return {
        "articles": len(articles),
        "sms": segment_stats([a.sms for a in articles]),
        "body_as_sms": segment_stats([a.body for a in articles]),
        "young_as_sms": segment_stats([a.young for a in articles if a.young]),
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m bot.channels.sms_logic")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("stats", help="SMS segment statistics over all articles (one JSON line)")
    p.add_argument("--kb-url", default=None, help="knowledge base URL (default: KB_URL)")
    args = parser.parse_args(argv)
    if args.cmd == "stats":
        print(json.dumps(stats(args.kb_url), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
