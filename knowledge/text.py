"""Text helpers: normalisation for matching, LIX readability, GSM-7 SMS length."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# --- normalisation ---------------------------------------------------------------

_FOLD = str.maketrans({"ø": "o", "å": "a", "æ": "e", "ö": "o", "ä": "e", "ü": "u"})
_WORD_RE = re.compile(r"[a-z0-9]+")

# Small Bokmål/Nynorsk stop list: function words that carry no topic signal.
STOPWORDS = frozenset(
    """
    a av bare blir da de dei deg den denne der dere det dette du eg eit ein eller en er et
    etter for fra fraa frå ha han har hen hennar henne hans hva hvem hvor hvordan hvis i ikkje ikke
    inn jeg kan kva kven kor korleis med meg men mi min mine mitt mot na no nar naar noe noen
    og om oss pa paa seg sin sine sitt skal so som til ut var vi vil vere vaere vart ved
    kva korleis nokon noko ein eit ho honom
    """.split()
)


def fold(text: str) -> str:
    """Lowercase and fold Norwegian letters and accents: 'Støtte å' -> 'stotte a'.

    'æ' and the ASCII spelling 'ae' fold to 'e', 'aa' to 'a', so that variants such as
    'være'/'vaere'/'vere' and 'pårørende'/'paarorende'/'parorende' meet on both sides.
    """
    text = text.lower().replace("aa", "a").replace("ae", "e").translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Folded word tokens (letters and digits)."""
    words = _WORD_RE.findall(fold(text))
    if keep_stopwords:
        return words
    return [w for w in words if w not in STOPWORDS]


def similar(a: str, b: str) -> bool:
    """Cheap fuzzy equality for folded tokens.

    True when one is a prefix of the other (compounds: 'avlastning' ~ 'avlastningsopphold'),
    or when they share a long common prefix and differ only in a short ending
    (inflection, Nynorsk: 'pleiepengar' ~ 'pleiepenger').
    """
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short):
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 3 and len(short) >= 5 and len(a) - n <= 2 and len(b) - n <= 2


def matches_keyword(token: str, keyword: str) -> bool:
    """Whether a word of the message is an article's keyword (or title word), folded.

    Like :func:`similar`, but one way: the message's word may be a compound or an inflected
    form of the keyword ('avlastningsopphold', 'pleiepengar'), while a short word of the
    message is not a longer keyword it happens to begin ('barn' is not 'barnevernet', 'syke'
    is not 'sykemelding'): in a long story those prefixes matched almost every article.
    """
    if token == keyword:
        return True
    if len(keyword) >= 4 and token.startswith(keyword):
        return True
    if keyword.startswith(token):
        return len(token) >= 4 and len(keyword) - len(token) <= 2
    return similar(token, keyword)



class WordIndex:
    """The words of one message, asked for many keywords (:func:`matches_keyword`).

    A keyword matches a word only when both begin with the same three letters (or are the
    same short word), so the words are grouped by their first three letters and a keyword
    is compared only with its group; each keyword's answer is kept. Same answers as asking
    every word (tests/knowledge/test_text.py), in a fraction of the comparisons: a long
    story has a few hundred words and the articles about 1,400 keywords and title words.
    """

    def __init__(self, words: Iterable[str]):
        self.words = list(dict.fromkeys(words))
        self._set = frozenset(self.words)
        self._groups: dict[str, list[str]] = {}
        for word in self.words:
            self._groups.setdefault(word[:3], []).append(word)
        self._matches: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.words)

    def has(self, keyword: str) -> bool:
        """The keyword is one of the words."""
        return keyword in self._set

    def matches(self, keyword: str) -> bool:
        """Some word is the keyword or a form of it (:func:`matches_keyword`)."""
        found = self._matches.get(keyword)
        if found is None:
            found = any(matches_keyword(w, keyword) for w in self._groups.get(keyword[:3], ()))
            self._matches[keyword] = found
        return found

_ENDINGS = ("ene", "ane", "ene", "er", "en", "et", "ar", "a", "e")


def stem(token: str) -> str:
    """Very light suffix stripping for prefix search: 'tolker' -> 'tolk', 'barna' -> 'barn'."""
    for end in _ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= 4:
            return token[: -len(end)]
    return token


# --- LIX ---------------------------------------------------------------------------

_LIX_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:-[A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")


def lix(text: str) -> float:
    """LIX = words/sentences + 100 * long_words/words (long = more than 6 letters).

    A sentence ends at '.', '!', '?' or ':' followed by whitespace/end, and at a line
    break after a line without end punctuation (list items, headings). Numbers are not
    words; a hyphenated compound counts as one word.
    """
    words = _LIX_WORD.findall(text)
    if not words:
        return 0.0
    sentences = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        n = len(_SENTENCE_END.findall(line))
        if not re.search(r"[.!?:]\s*$", line):
            n += 1  # a line without final punctuation still ends a unit
        sentences += max(n, 1)
    long_words = sum(1 for w in words if len(w.replace("-", "")) > 6)
    return len(words) / max(sentences, 1) + 100.0 * long_words / len(words)


# --- GSM-7 -------------------------------------------------------------------------

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
SMS_MAX_SEPTETS = 306  # two concatenated segments of 153 septets


def gsm7_length(text: str) -> int | None:
    """Septets needed (extension characters count 2); None if not GSM-7 encodable."""
    n = 0
    for ch in text:
        if ch in GSM7_BASIC:
            n += 1
        elif ch in GSM7_EXTENSION:
            n += 2
        else:
            return None
    return n


def non_gsm7_chars(text: str) -> list[str]:
    return sorted({ch for ch in text if ch not in GSM7_BASIC and ch not in GSM7_EXTENSION})


# What a question asks about, from its wording (Bokmål, Nynorsk, common spellings), on
# folded text. The one aspect detector: the answer logic (actions/retrieval.py) and the
# repository's keyword score both use it. First match wins.
ASPECT_PATTERNS = (
    ("soke", r"\b(sok|soke|soker|soknad|soknaden|sokja|sokje|sokjer|fa det|fa tak i|skjema)"),
    ("hvor_mye", r"\b(hvor mye|kor mykje|hvor mange|kor mange|hvor lenge|kor lenge|dager|dagar|"
                 r"belop|koster|kostar|sats|kroner|timer|uker|veker)\b"),
    ("klage", r"\b(klag|avslag|uenig|ueinig)"),
    ("hvem", r"\b(hvem|kven|hvilke|kva for)\b"),
    ("rett", r"\b(rett til|rettighet|rett(ar|er|en|igheter|igheit)?\b|har jeg krav|har eg krav|"
             r"krav pa|lov til|har lov)"),
    ("hva", r"\b(hva|kva) (er|betyr|innebarer|inneber|inneberer)\b|\bforklar"),
    ("hvordan", r"\b(hvordan|korleis)\b"),
)
_ASPECT_RES = tuple((a, re.compile(p)) for a, p in ASPECT_PATTERNS)


def detect_aspect(text: str) -> str | None:
    """The aspect a message asks about (soke, hvor_mye, klage, hvem, rett, hva, hvordan)."""
    folded = fold(text or "")
    for aspect, pattern in _ASPECT_RES:
        if pattern.search(folded):
            return aspect
    return None
