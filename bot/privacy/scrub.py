"""PII scrubbing: replace personal identifiers in free text with typed placeholders.

`scrub(text)` runs, in this order:

1. e-mail addresses                     → «[e-post]»
2. fødselsnummer / D-number / H-number  → «[fødselsnummer]» (11 digits, optionally a space,
   hyphen or dot after the 6th; valid date part and both mod-11 control digits). Any other
   free-standing 11-digit number (an account number, a mistyped fødselsnummer) → «[nummer]».
3. phone numbers                        → «[telefon]»: Norwegian 8-digit numbers in the usual
   groupings (12345678, 123 45 678, 12 34 56 78, 1234 5678, with +47 / 0047 / (+47)), and
   international numbers written with «+». Public service numbers (the helplines in
   `../shared/facts/helplines.yaml`, e.g. 90 90 48 48) are kept, as are 3-digit emergency
   numbers (113), 5-/6-digit service numbers (02800, 116 123), years, dates and amounts.
4. street addresses                     → «[adresse]»: "Storgata 12", "Kongens gate 5B",
   "Postboks 123", "0150 Oslo", and a street with its postcode ("Storgata 12, 0150 Oslo").
5. person names                         → «[navn]»: PER entities of the project's spaCy
   pipeline (`nb_parorende`) when its NER is good enough (see `ner_enabled`), plus rules that
   work without it: name cues («heter Kari», «eg heiter Ola»), titles («doktor Hansen»),
   and lists of common first names and surnames (`names.py`). Relation words (mamma, pappa)
   and service names (Pårørendelinjen, Mental Helse, NAV …) are never scrubbed.

The regular expressions are compiled once; spaCy is loaded lazily on the first call that
needs it and only when the pipeline has a usable NER, so the regex path stays fast
(tens of microseconds per message). Every step runs in time linear in the text, whatever a
client sends (no regex rescans the text before a word or a match; cues are looked for in
bounded windows): tests/safety/test_linear_time.py checks crafted worst cases.

Environment:
  PII_NER            off (default): rules only; auto: use the NER when the pipeline's
                     recorded PER precision is at least PII_NER_MIN_P; on: always (if the
                     pipeline has an NER). Measured on tests/safety/pii.tsv with
                     nb_parorende 1.0.0: name recall 0.925 with rules only, 0.943 with the
                     NER, but the NER also takes common words for names («Liv og helse»)
                     and costs spaCy time on every stored event, so it is off by default.
  PII_NER_MIN_P      default 0.6
  PII_SPACY_MODEL    default nb_parorende
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

from bot.privacy.names import (
    AMBIGUOUS_FIRST_NAMES,
    AMBIGUOUS_SURNAMES,
    FIRST_NAMES,
    KEEP_WORDS,
    SURNAMES,
)
from bot.settings import env_float

logger = logging.getLogger(__name__)

FNR = "[fødselsnummer]"
NUMBER = "[nummer]"
PHONE = "[telefon]"
EMAIL = "[e-post]"
ADDRESS = "[adresse]"
NAME = "[navn]"
PLACEHOLDERS = (FNR, NUMBER, PHONE, EMAIL, ADDRESS, NAME)

Span = Tuple[int, int]

# --------------------------------------------------------------------------------------------
# e-mail
# The lookbehind excludes every character of the local part (the apostrophe too), so a run of
# local-part characters is tried from its start only: linear time.
_EMAIL = re.compile(
    r"(?<![\w.+\-'])[\w.+\-']+(?:@|\s?[\(\[]at[\)\]]\s?)[\w\-]+(?:\.[\w\-]+)*\.[a-zA-Z]{2,}\b"
)

# --------------------------------------------------------------------------------------------
# fødselsnummer
_ELEVEN = re.compile(r"(?<![\d])(?<!\d[ .\-])(\d{6})[ .\-]?(\d{5})(?![ .\-]?\d)")
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: Sequence[int], weights: Sequence[int]) -> Optional[int]:
    k = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    if k == 11:
        return 0
    return None if k == 10 else k


def is_fnr(number: str) -> bool:
    """True for a valid fødselsnummer, D-number (day + 40), H-number (month + 40) or a
    synthetic test number (month + 80): date part in range and both control digits right."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 11:
        return False
    day = digits[0] * 10 + digits[1]
    month = digits[2] * 10 + digits[3]
    if day > 40:
        day -= 40
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    k1 = _control(digits[:9], _W1)
    if k1 is None or k1 != digits[9]:
        return False
    k2 = _control(digits[:10], _W2)
    return k2 is not None and k2 == digits[10]


_ACCOUNT = re.compile(r"(?<![\d])(?<!\d[ .\-])\d{4}[ .]\d{2}[ .]\d{5}(?![ .\-]?\d)")


def _scrub_eleven(text: str) -> str:
    text = _ACCOUNT.sub(NUMBER, text)

    def repl(m: re.Match) -> str:
        return FNR if is_fnr(m.group(1) + m.group(2)) else NUMBER

    return _ELEVEN.sub(repl, text)


# --------------------------------------------------------------------------------------------
# phone numbers
_SEP = r"[ \u00a0.\-]?"
_NO_DIGIT_BEFORE = r"(?<!\d)(?<!\d[ .\-])(?<![+\d]\d)"
_NO_DIGIT_AFTER = r"(?![ \u00a0.\-]?\d)"
_NATIONAL = (
    r"(?:"
    r"[2-9]\d{7}"  # 12345678
    r"|[2-9]\d{2}[ \u00a0.\-]\d{2}[ \u00a0.\-]\d{3}"  # 123 45 678
    r"|[2-9]\d[ \u00a0.\-]\d{2}[ \u00a0.\-]\d{2}[ \u00a0.\-]\d{2}"  # 12 34 56 78
    r"|[2-9]\d{3}[ \u00a0.\-]\d{4}"  # 1234 5678
    r"|[2-9]\d{2}[ \u00a0.\-]\d{5}"  # 123 45678
    r")"
)
_PREFIX = r"(?:\(?\+\s?47\)?|\b0047)[ \u00a0.\-]?"
_PHONE_NO = re.compile(
    rf"(?:{_PREFIX}(?:{_NATIONAL}|\d{{8}})|{_NO_DIGIT_BEFORE}{_NATIONAL}){_NO_DIGIT_AFTER}"
)
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|\b00)(?!47)[1-9]\d{0,2}(?:[ \u00a0.\-]?\(?\d+\)?){2,6}")
_YEAR_PAIR = re.compile(r"(?:19|20)\d\d[ \-.](?:19|20)\d\d")


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


@lru_cache(maxsize=1)
def public_numbers() -> frozenset:
    """8-digit numbers of public services (not personal data): from the facts file when
    present, plus a built-in list."""
    numbers = {"90904848", "51531111", "80040567", "22400040", "81557000", "81533040"}
    facts = os.environ.get("FACTS_DIR") or os.path.join(
        os.environ.get("SHARED_DIR", str(Path(__file__).resolve().parents[2].parent / "shared")),
        "facts",
    )
    path = Path(facts) / "helplines.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return frozenset(numbers)
    for m in re.finditer(r"phone\w*:\s*(.+)", text):
        for candidate in re.findall(r"\d[\d ]{6,12}\d", m.group(1)):
            if len(_digits(candidate)) == 8:
                numbers.add(_digits(candidate))
    return frozenset(numbers)


def _scrub_phone(text: str) -> str:
    keep = public_numbers()

    def repl(m: re.Match) -> str:
        found = m.group(0)
        digits = _digits(found)
        national = digits[-8:]
        if national in keep and len(digits) in (8, 10, 12):
            return found
        if _YEAR_PAIR.fullmatch(found):
            return found
        return PHONE

    text = _PHONE_NO.sub(repl, text)
    return _PHONE_INTL.sub(lambda m: PHONE if len(_digits(m.group(0))) >= 8 else m.group(0), text)


# --------------------------------------------------------------------------------------------
# addresses
_STREET_SUFFIX = r"(?:gata|gate|gaten|gt\.|veien|vei|vegen|veg|allé|alle|alléen|alleen)"
# suffixes that also end ordinary words ("sykehjemsplass 2"): only in capitalised names
_STREET_SUFFIX_CAP = (
    r"(?:plass|plassen|torg|torget|stien|bakken|brygge|bryggen|kaia|terrasse|terrassen"
    r"|svingen|løkka|haugen|åsen|lia|lien|jordet|tunet|kroken|vollen|grenda|myra|lykkja"
    r"|bakkane|ringen)"
)
_HOUSE_NO = (
    r"\d{1,4}(?:\s?[a-hA-H])?(?![\w,.]?\d)"
    r"(?!\s*(?:%|år|dager|dagar|ganger|gonger|timer|kr|uker|veker|mnd|måneder|prosent)\b)"
)
_POSTCODE_PLACE = r"\d{4}\s+[A-ZÆØÅ][a-zæøåA-ZÆØÅ\-]+(?:\s[A-ZÆØÅ][a-zæøå]+)?"
_PLACE_STOP = frozenset(
    "jeg du han hun ho vi de det den og men som mamma pappa mor far når da så i på til er "
    "har kr kroner nok januar februar mars april mai juni juli august september oktober "
    "november desember".split()
)
# "Storgata 12", "sognsveien 3B", "Øvre Slottsgate 8", "Solbakken 7" (+ ", 0150 Oslo")
# Every word starts at the beginning of a run of word characters and hyphens (not inside
# "A-A-A…" or "AAA…"), so a long run is scanned from one start only: linear time.
_RUN_START = r"(?<![\w\-])"
_LEADING = rf"(?:{_RUN_START}(?-i:[A-ZÆØÅ][\wæøå\-]*\.?)\s+){{0,2}}"
_STREET = re.compile(
    rf"{_LEADING}{_RUN_START}\b(?:[\wæøåÆØÅ\-]{{2,}}{_STREET_SUFFIX}"
    rf"|(?-i:[A-ZÆØÅ])[\wæøå\-]+(?-i:{_STREET_SUFFIX_CAP})"
    rf"|(?-i:Torget|Torvet|Bakken|Brygga|Bryggen|Kaia|Plassen|Tunet))\s+{_HOUSE_NO}"
    rf"(?:,?\s+{_POSTCODE_PLACE})?",
    re.IGNORECASE,
)
_STREET_SEPARATE = re.compile(
    rf"\b([\wæøåÆØÅ]{{3,}})\s+(?:gate|gata|vei|veg|allé|alle|plass)\s+{_HOUSE_NO}", re.IGNORECASE
)
_POSTBOX = re.compile(
    rf"\b(?:postboks|pb\.?|boks)\s+\d{{1,5}}(?:,?\s+{_POSTCODE_PLACE}|\s+[A-ZÆØÅ][a-zæøå]+)?",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?<![\d\w§.,/\-])(?<![\d] )(\d{4})\s+([A-ZÆØÅ][a-zæøå\-]+(?:\s[A-ZÆØÅ][a-zæøå]+)?)\b"
)
_YEAR_CUE = re.compile(
    r"(?:\b(?:i|år|året|siden|før|etter|høsten|våren|sommeren|vinteren|julen|"
    r"innen|mellom|og|sidan|hausten|per|rundt|ca|cirka|født|fødd)\s*|[–\-]\s*)$",
    re.IGNORECASE,
)
# the longest year cue ("sommeren") fits in this many characters before the year
_YEAR_CUE_WIDTH = 12


def _nonspace_end(text: str, pos: int) -> int:
    """The index just after the last non-whitespace character before `pos` (0 if none)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _year_cue(text: str, pos: int) -> bool:
    """Whether a year cue («i», «født», «–» …) ends just before `pos` (whitespace between
    allowed). Looks at a bounded window, so the cost does not grow with the text."""
    end = _nonspace_end(text, pos)
    return bool(_YEAR_CUE.search(text, max(0, end - _YEAR_CUE_WIDTH), end))
_ADDRESS_WORDS_STOP = frozenset(
    "i på til fra ved en ei et den det samme denne hele heile min mi mitt din vår".split()
)


def _scrub_address(text: str) -> str:
    text = _POSTBOX.sub(ADDRESS, text)

    def street(m: re.Match) -> str:
        # leading capitalised words belong to the street ("Øvre Slottsgate") unless they are
        # ordinary words ("Mamma Storgata 3" keeps "Mamma")
        found = m.group(0)
        words = found.split(" ")
        prefix = []
        while len(words) > 2 and words[0].lower() in KEEP_WORDS | _ADDRESS_WORDS_STOP:
            prefix.append(words.pop(0))
        return " ".join(prefix + [ADDRESS])

    text = _STREET_SEPARATE.sub(
        lambda m: m.group(0)
        if m.group(1).lower() in _ADDRESS_WORDS_STOP | KEEP_WORDS
        else ADDRESS,
        text,
    )
    text = _STREET.sub(street, text)

    def postcode(m: re.Match) -> str:
        number, place = m.group(1), m.group(2)
        if place.split()[0].lower() in _PLACE_STOP:
            return m.group(0)
        if 1900 <= int(number) <= 2099 and _year_cue(text, m.start()):
            return m.group(0)
        return ADDRESS

    text = _POSTCODE.sub(postcode, text)
    return re.sub(r"\[adresse\](?:,?\s*\[adresse\])+", ADDRESS, text)


# --------------------------------------------------------------------------------------------
# names
SERVICE_NAMES = (
    "Pårørendelinjen", "Pårørendetelefonen", "Pårørendesenteret", "Pårørendealliansen",
    "Mental Helse Ungdom", "Mental Helse", "Hjelpetelefonen", "Kirkens SOS", "Kirkens Bymisjon",
    "Røde Kors", "Blå Kors", "Kors på halsen", "Alarmtelefonen", "Ivareta", "Nasjonalforeningen",
    "Demenslinjen", "Kreftforeningen", "Krefttelefonen", "RUSinfo", "LEVE", "LPP",
    "PIO-senteret", "Vern for eldre", "Giftinformasjonen", "Frelsesarmeen", "Statsforvalteren",
    "Pasient- og brukerombudet", "Helsenorge", "St. Olavs hospital", "St. Olav", "Rikshospitalet",
    "Ullevål", "Haukeland", "Ahus", "Voksne for barn", "Barn av rusmisbrukere", "Sidetmedord",
    "Sjelefred", "Hans Nielsen Hauges", "St. Hanshaugen", "Ung.no", "Snakk med et menneske",
)
_SERVICE = re.compile(
    r"\b(?:" + "|".join(re.escape(s) for s in sorted(SERVICE_NAMES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
_CUE = re.compile(
    r"\b(?:heter|heiter|het|hette|kalles|kallast|kalt|kallt|"
    r"(?:navnet|namnet|navn|namn)\s+(?:hans|hennes|hennar|mitt|til\s+\w+)\s+(?:er|var)|"
    r"(?:mitt|hans|hennes)\s+navn\s+er|mitt\s+namn\s+er)\s+$",
    re.IGNORECASE,
)
_TITLE = re.compile(
    r"\b(?:dr|doktor|lege|legen|fastlege|fastlegen|sykepleier|sykepleiaren|sykepleieren|"
    r"psykolog|psykologen|fru|frk|frøken|herr|advokat|saksbehandler|saksbehandleren|"
    r"koordinator|koordinatoren|kontaktperson|kontaktpersonen)\.?\s+$",
    re.IGNORECASE,
)
_RELATION = (
    r"mamma|mammaen|pappa|pappaen|mor|moren|mora|far|faren|bror|broren|søster|søsteren|"
    r"søstera|syster|systera|farmor|mormor|farfar|morfar|bestemor|bestefar|besteforeldre|"
    r"oldemor|oldefar|onkel|onkelen|tante|tanta|tanten|mann|mannen|kone|kona|konen|samboer|"
    r"samboeren|kjæreste|kjæresten|sønn|sønnen|datter|dattera|datteren|venn|vennen|venninne|"
    r"venninna|venninnen|nabo|naboen|svigermor|svigerfar|svigerinne|svoger|fetter|kusine|"
    r"nevø|niese|ektefelle|ektefellen|barnebarn|barnebarnet|sjef|sjefen|kollega|kollegaen|"
    r"eks|eksen|stefar|stemor|halvbror|halvsøster|lillebror|lillesøster|storebror|storesøster"
)
# «bestefar Haldor», «broren min Per», «mora til Linnea», «kona mi, Wenche»
_RELATION_CUE = re.compile(
    rf"\b(?:{_RELATION})(?:\s+(?:min|mi|mitt|mine|vår|vårt|hans|hennes|hennar|deres|dykkar))?"
    r"(?:\s+til)?,?\s+$",
    re.IGNORECASE,
)
# «jeg er Thi Lan», «eg er Sanna» (capitalised only)
_SELF_CUE = re.compile(r"\b(?:jeg|eg|je|æ)\s+er\s+$", re.IGNORECASE)
_SENTENCE_END_CHARS = frozenset('.!?:;"«(')
# The cues above end a bounded phrase (the longest, «navnet til kjæresten er », is < 40
# characters); they are searched in this many characters before the whitespace that precedes
# a word, so the cost per word does not grow with the text.
_CUE_WIDTH = 64
_CUE_NOT_NAME = frozenset(
    "det noe noko ikke ikkje egentlig faktisk visst jo bare berre også og at som en ei et".split()
)


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _base(word: str) -> str:
    return word.lower().strip("'’-")


def _first_name(word: str) -> Optional[str]:
    """'plain', 'ambiguous' or None; tolerates genitive -s and hyphenated double names."""
    w = _base(word)
    for cand in (w, w[:-1] if w.endswith("s") and len(w) > 3 else None):
        if not cand:
            continue
        parts = cand.split("-")
        if all(p in FIRST_NAMES or p in AMBIGUOUS_FIRST_NAMES for p in parts if p):
            if len(parts) > 1 or cand in FIRST_NAMES and cand not in AMBIGUOUS_FIRST_NAMES:
                return "plain"
            return "ambiguous"
    return None


def _surname(word: str) -> Optional[str]:
    w = _base(word)
    for cand in (w, w[:-1] if w.endswith("s") and len(w) > 4 else None):
        if not cand:
            continue
        if cand in SURNAMES:
            return "plain"
        if cand in AMBIGUOUS_SURNAMES:
            return "ambiguous"
    return None


_SERVICE_WORDS = frozenset(w.lower() for name in SERVICE_NAMES for w in name.split())


def _service_word(low: str) -> bool:
    return low in _SERVICE_WORDS


def _sentence_start(text: str, start: int, end: int) -> bool:
    """Whether the word at `start` begins a sentence: nothing before it; or before it
    (whitespace between allowed) a line break, one of . ! ? : ; " « (; or « - ».
    `end` is `_nonspace_end(text, start)`."""
    if start == 0:
        return True
    gap = text[end:start]
    if "\n" in gap:
        return True
    if end > 0 and text[end - 1] in _SENTENCE_END_CHARS:
        return True
    return len(gap) == 1 and end >= 2 and text[end - 1] == "-" and text[end - 2].isspace()


def _cue_before(regex: re.Pattern, text: str, start: int, end: int) -> bool:
    """Whether `regex` (a cue anchored with `$`) matches the text just before `start`,
    searching only a bounded window before the whitespace that ends at `start`."""
    return end < start and bool(regex.search(text, max(0, end - _CUE_WIDTH), start))


class _Protected:
    """Protected spans, asked in increasing order of position (one pass: linear)."""

    def __init__(self, spans: List[Span]) -> None:
        self._spans = _merge(spans)
        self._i = 0

    def covers(self, pos: int) -> bool:
        spans = self._spans
        while self._i < len(spans) and spans[self._i][1] <= pos:
            self._i += 1
        return self._i < len(spans) and spans[self._i][0] <= pos


def _rule_name_spans(text: str, protected: List[Span]) -> List[Span]:
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    guarded = _Protected(protected)
    spans: List[Span] = []
    i = 0
    while i < len(words):
        start, end, word = words[i]
        low = _base(word)
        if guarded.covers(start) or text[start - 1: start] == "[":
            i += 1
            continue
        # the end of the text before the word without its trailing whitespace: the cues
        # below all end in whitespace, and are looked for in a bounded window before it
        ink = _nonspace_end(text, start)
        sentence_start = _sentence_start(text, start, ink)
        cue = (_cue_before(_CUE, text, start, ink) and low not in _CUE_NOT_NAME
               and low not in KEEP_WORDS)
        title = (_is_cap(word) and low not in KEEP_WORDS
                 and _cue_before(_TITLE, text, start, ink))
        kind = _first_name(word)
        sur = _surname(word)
        nxt = words[i + 1] if i + 1 < len(words) else None
        adjacent = nxt is not None and re.fullmatch(r"[ \u00a0]", text[end: nxt[0]] or "x")
        next_is_surname = bool(
            adjacent and _is_cap(nxt[2]) and _base(nxt[2]) not in KEEP_WORDS
            and (_surname(nxt[2]) or _first_name(nxt[2]) is None)
        )
        cap_unknown = _is_cap(word) and low not in KEEP_WORDS and not _service_word(low)
        relation = cap_unknown and (_cue_before(_RELATION_CUE, text, start, ink)
                                    or _cue_before(_SELF_CUE, text, start, ink))
        before_surname = bool(
            cap_unknown and adjacent and _is_cap(nxt[2]) and _surname(nxt[2])
            and _base(nxt[2]) not in KEEP_WORDS
        )
        is_name = (
            cue
            or title
            or relation
            or before_surname
            or kind == "plain"
            or (kind == "ambiguous" and _is_cap(word) and (not sentence_start or next_is_surname))
            or (sur == "plain" and _is_cap(word) and not sentence_start)
        )
        if not is_name or (low in KEEP_WORDS and not cue and kind is None):
            i += 1
            continue
        # extend over following name parts: "Kari Nordmann", "Anne-Lise Berg Hansen"
        j = i
        while j + 1 < len(words) and j - i < 3:
            n_start, n_end, n_word = words[j + 1]
            gap = text[words[j][1]: n_start]
            if gap not in (" ", "\u00a0"):
                break
            n_low = _base(n_word)
            if n_low in KEEP_WORDS:
                break
            if _is_cap(n_word) or _surname(n_word) or _first_name(n_word) == "plain":
                j += 1
                continue
            break
        spans.append((start, words[j][1]))
        i = j + 1
    return spans


# spaCy NER (optional) -----------------------------------------------------------------------
_nlp_lock = threading.RLock()
_nlp_state: dict = {}


def _ner_mode() -> str:
    return os.environ.get("PII_NER", "off").strip().lower()


class _WeakNER(Exception):
    pass


def _recorded_per_precision(name: str) -> Optional[float]:
    """PER precision recorded in the installed pipeline's meta.json (None: unknown)."""
    import importlib.util
    import json

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for meta in sorted(Path(location).glob("*/meta.json")):
            try:
                per = (json.loads(meta.read_text(encoding="utf-8")).get("performance", {})
                       .get("ents_per_type", {}).get("PER"))
            except (OSError, ValueError):
                continue
            if isinstance(per, dict) and per.get("p") is not None:
                return float(per["p"])
    return None


def _load_nlp():
    """The spaCy pipeline with only what NER needs, or None (no spaCy, no NER, NER too weak).

    Loaded once. Re-entrant: importing spaCy logs, and log records are scrubbed with this
    module, so a nested call during loading gets None (rules only) instead of a deadlock.
    """
    if "nlp" in _nlp_state:
        return _nlp_state["nlp"]
    note = None
    with _nlp_lock:
        if "nlp" in _nlp_state or _nlp_state.get("loading"):
            return _nlp_state.get("nlp")
        _nlp_state["loading"] = True
        nlp = None
        try:
            mode = _ner_mode()
            name = os.environ.get("PII_SPACY_MODEL", "nb_parorende")
            if mode in ("off", "0", "false", "no"):
                note = "PII scrubbing: NER off (PII_NER); rules only"
            else:
                try:
                    p = _recorded_per_precision(name)
                    min_p = env_float("PII_NER_MIN_P", 0.6, minimum=0.0, maximum=1.0)
                    if mode == "auto" and p is not None and p < min_p:
                        # decided from meta.json alone: spaCy is not even imported
                        raise _WeakNER(f"{name} PER precision {p:.2f} < {min_p:.2f}")
                    import spacy

                    nlp = spacy.load(name, exclude=["morphologizer", "trainable_lemmatizer",
                                                    "lemmatizer", "parser", "tagger",
                                                    "parorende_standard_lemmas"])
                    if "ner" not in nlp.pipe_names or "PER" not in nlp.get_pipe("ner").labels:
                        note = f"PII scrubbing: {name} has no PER NER; rules only"
                        nlp = None
                    elif mode == "auto":
                        per = (nlp.meta.get("performance", {}).get("ents_per_type", {})
                               .get("PER", {}))
                        p = float(per.get("p") or 0.0)
                        if p < min_p:
                            note = (f"PII scrubbing: {name} PER precision {p:.2f} < {min_p:.2f};"
                                    " rules only")
                            nlp = None
                    if nlp is not None:
                        note = f"PII scrubbing: person names by the NER of {name} and rules"
                except _WeakNER as error:
                    note = f"PII scrubbing: {error}; rules only"
                    nlp = None
                except Exception as error:  # noqa: BLE001 - any load failure: rules only
                    note = f"PII scrubbing: no spaCy NER ({error}); rules only"
                    nlp = None
            _nlp_state["nlp"] = nlp
        finally:
            _nlp_state.pop("loading", None)
    if note:
        logger.info(note)
    return nlp


def ner_enabled() -> bool:
    return _load_nlp() is not None


def reset_ner() -> None:
    """Forget the loaded pipeline (tests; after changing PII_NER)."""
    with _nlp_lock:
        _nlp_state.clear()


def _ner_name_spans(text: str, protected: List[Span]) -> List[Span]:
    nlp = _load_nlp()
    if nlp is None:
        return []
    spans: List[Span] = []
    for ent in nlp(text).ents:
        if ent.label_ != "PER":
            continue
        tokens = [t for t in ent if t.is_alpha or "-" in t.text]
        # drop relation words and titles at the edges ("Mamma Kari" → "Kari")
        while tokens and (tokens[0].lower_ in KEEP_WORDS or _TITLE.search(tokens[0].text + " ")):
            tokens.pop(0)
        while tokens and tokens[-1].lower_ in KEEP_WORDS:
            tokens.pop()
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if any(ps < end and start < pe for ps, pe in protected):
            continue
        if "[" in text[start:end]:
            continue
        spans.append((start, end))
    return spans


def _merge(spans: Iterable[Span]) -> List[Span]:
    merged: List[Span] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _replace(text: str, spans: List[Span], placeholder: str) -> str:
    out, last = [], 0
    for s, e in _merge(spans):
        out.append(text[last:s])
        out.append(placeholder)
        last = e
    out.append(text[last:])
    return "".join(out)


def _bracket_spans(text: str) -> List[Span]:
    r"""Spans of «[…]» (placeholders): what `re.finditer(r"\[[^\]]*\]")` finds, in linear time
    (that regex rescans the rest of the text from every unclosed «[»)."""
    spans: List[Span] = []
    pos = text.find("[")
    while pos >= 0:
        close = text.find("]", pos + 1)
        if close < 0:
            break
        spans.append((pos, close + 1))
        pos = text.find("[", close + 1)
    return spans


def scrub_names(text: str, use_ner: bool = True) -> str:
    protected = [m.span() for m in _SERVICE.finditer(text)] + _bracket_spans(text)
    spans = _rule_name_spans(text, protected)
    if use_ner:
        spans += _ner_name_spans(text, protected)
    return _replace(text, spans, NAME)


# --------------------------------------------------------------------------------------------
def scrub_email(text: str) -> str:
    return _EMAIL.sub(EMAIL, text)


def scrub_regex(text: str) -> str:
    """Everything but names: e-mail, fødselsnummer, phone, address (no spaCy)."""
    if not text or not any(c.isdigit() or c == "@" or c in "[(" for c in text):
        # nothing these scrubbers could find without a digit or an @ (fast path)
        return text
    text = scrub_email(text)
    text = _scrub_eleven(text)
    text = _scrub_phone(text)
    return _scrub_address(text)




def scrub(text: Optional[str], names: bool = True, use_ner: bool = True) -> Optional[str]:
    """The text with personal identifiers replaced by typed placeholders (None stays None)."""
    if not text or not isinstance(text, str):
        return text
    text = scrub_regex(text)
    if names:
        text = scrub_names(text, use_ner=use_ner)
    return text
