"""Crisis detection by lexicon: the layer that does not depend on the classifier.

Used by the NLU component `bot.nlu.crisis_override.CrisisOverride`, which runs on every
message and forces the intent `krise` on a match, so the dialogue's crisis rule answers with
emergency numbers first whatever the classifier said.

Matching works on a *canonical* form of the text (see `canonical`): lower case, Norwegian
letters folded to ASCII (æ→ae, ø→o, å→a, é→e), every run of a repeated letter squashed to one
letter ("ikkkke", "ikke" → "ike"; "sellvmord" → "selvmord"; "døø" → "do"), punctuation to
spaces. The lexicon's regular expressions are written in ordinary spelling and put through
the same canonicalisation when they are compiled, so "ikke" in a pattern matches "ikke",
"ikkke" and "ike" in a message, and "dø" matches "dø", "døø" and "do". Consequence for
lexicon authors: never put æ, ø or å inside a character class (`[øo]`): write alternatives.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional, Union

import yaml

try:  # Python >= 3.11
    from re import _constants as _sre_c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

LEXICON_PATH = Path(__file__).with_name("crisis_lexicon.yml")

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_REPEATS = re.compile(r"(\w)\1{2,}", re.UNICODE)
_APOSTROPHES = re.compile(r"[\u0027\u2019\u02bc\u00b4`]")
_COMBINING = re.compile(r"[\u0300-\u036f]")
# An ASCII letter repeated in a regex source (not after a backslash, so `\bb` keeps its
# meaning): squashed like `_squash_letters` does in texts.
_DOUBLE_LETTER_IN_REGEX = re.compile(r"(?<!\\)([a-z])\1+")
_FRAGMENT_REF = re.compile(r"\{([A-Z_]+)\}")
_CLASS_WITH_NORWEGIAN = re.compile(r"\[[^\]]*[æøåÆØÅéÉ][^\]]*\]")


def normalise(text: str) -> str:
    """Lower-case, NFC, punctuation to spaces, letters repeated 3+ times collapsed to two.

    Human-readable normal form; the matcher uses the stronger `canonical` form.
    """
    text = unicodedata.normalize("NFC", text or "").lower()
    text = _REPEATS.sub(r"\1\1", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# bytes.translate table: ASCII letters and digits kept, everything else (punctuation,
# underscore, control characters) becomes a space.
_ASCII_TO_SPACE = bytes(
    c if (chr(c).isascii() and chr(c).isalnum()) else 0x20 for c in range(256)
)


def _fold(text: str) -> str:
    """Lower case, æ→ae, ø→o, strip diacritics (å→a, é→e, ä→a, ö→o)."""
    text = (text or "").lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    for src, dst in (("æ", "ae"), ("ø", "o"), ("ß", "ss"), ("œ", "oe")):
        if src in text:
            text = text.replace(src, dst)
    text = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", _COMBINING.sub("", text))


_DOUBLE_ASCII_LETTER = re.compile(r"([a-z])\1+")


def canonical(text: str) -> str:
    """The form the lexicon matches against: folded, letters de-duplicated, single spaces.

    Linear on long texts: str/bytes methods, and the letter squashing runs once per distinct
    token, not per token.
    """
    text = _APOSTROPHES.sub("", _fold(text))  # "i'm" -> "im", "can't" -> "cant"
    if text.isascii():
        text = text.encode("ascii").translate(_ASCII_TO_SPACE).decode("ascii")
    else:
        text = _NON_WORD.sub(" ", text).replace("_", " ")
    tokens = text.split()
    squash = _DOUBLE_ASCII_LETTER.sub
    squashed = {t: squash(r"\1", t) for t in set(tokens)}
    return " ".join(map(squashed.__getitem__, tokens))


def canonical_regex(source: str) -> str:
    """Apply `canonical`'s folding to a regex source (leaves escapes and syntax alone)."""
    if _CLASS_WITH_NORWEGIAN.search(source):
        raise ValueError(f"æ/ø/å/é inside a character class cannot be canonicalised: {source}")
    return _DOUBLE_LETTER_IN_REGEX.sub(r"\1", _fold(source))


@dataclass(frozen=True)
class CrisisMatch:
    category: str  # suicide | self_harm | violence | overdose | acute
    pattern: str
    strong: bool = True  # a `patterns` rule (False: a `contextual` mention no exception cleared)


_MAX_KEYS = 400


def _literal_prefixes(items, limit: int = _MAX_KEYS) -> tuple[set[str], bool]:
    """Literal strings every match of the parsed sequence `items` starts with.

    Returns (prefixes, complete); `complete` when the whole sequence is literal, so the
    prefixes are whole matches. {""} means nothing is known.
    """
    out = {""}
    for op, av in items:
        if op is _sre_c.LITERAL:
            out = {o + chr(av) for o in out}
            continue
        if op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            continue  # zero width
        if op is _sre_c.SUBPATTERN or op is _sre_c.BRANCH:
            branches = [av[-1]] if op is _sre_c.SUBPATTERN else av[1]
            sub: set[str] = set()
            all_complete = True
            for branch in branches:
                pre, complete = _literal_prefixes(list(branch), limit)
                sub |= pre
                all_complete = all_complete and complete
            if len(out) * len(sub) > limit:
                return out, False
            out = {o + x for o in out for x in sub}
            if not all_complete:
                return out, False
            continue
        return out, False
    return out, True


# Very common tokens make poor keys (they gate nothing); used only to rank key candidates.
_COMMON_TOKENS = frozenset(
    "i e eg jeg ae je er a og pa det som vil til for med en ei et av at han hun ho hu seg meg "
    "har ike ikje ik ikj itj inte ente ska skal kan ma da no na sa de du vi oss den om var ble "
    "blir fa far fik the to is my me in of".split()
)
_SPACE = ord(" ")
_WINDOW = 400  # in long texts a rule must match within this many characters of its key
_LONG_TEXT = 4000  # texts longer than this are searched in windows around keys
_MAX_WINDOWS = 200  # beyond this many key occurrences, search the whole text instead
_MAX_PREFIX = 24  # token prefixes up to this length are looked up in a set
_GATE_FROM = 80  # a KeyedRegex runs without its key gate on texts up to this long (cheaper)


def _ends_with_space(items) -> bool:
    """Whether the parsed sequence, when it matches, always ends with a literal space."""
    if not items:
        return False
    op, av = items[-1]
    if op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
        return _ends_with_space(items[:-1])
    if op is _sre_c.LITERAL:
        return av == _SPACE
    if op is _sre_c.SUBPATTERN:
        sub = list(av[-1])
        return _ends_with_space(sub) if sub else _ends_with_space(items[:-1])
    if op is _sre_c.BRANCH:
        return all(
            _ends_with_space(list(b)) if list(b) else _ends_with_space(items[:-1])
            for b in av[1]
        )
    return False


def _token_keys(pattern: str) -> Optional[frozenset[tuple[str, bool]]]:
    """Keys one of which occurs as a token (or token prefix) in every text the regex matches.

    Looks at each point of the regex's top-level sequence that is known to be at the start
    of a token (after a leading \\b, a literal space, or optional groups ending in a space)
    and takes the literal words every match must have there; keeps the most selective set.
    A key is (word, exact): exact when the regex has a space after the word, so it is a whole
    token; otherwise a token prefix. None means "cannot tell": the regex is always run.
    """
    items = list(_sre_parse.parse(pattern))
    best, best_score = None, None
    at_token_start = False
    for i, (op, av) in enumerate(items):
        if op is _sre_c.AT:
            at_token_start = av is _sre_c.AT_BOUNDARY
            continue
        if op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            continue
        if at_token_start and op in (_sre_c.LITERAL, _sre_c.SUBPATTERN, _sre_c.BRANCH):
            prefixes, _ = _literal_prefixes(items[i:])
            keys = set()
            for pre in prefixes:
                word, sep, _rest = pre.partition(" ")
                keys.add((word, bool(sep)))
            if keys and all(w and w[0].isalnum() for w, _exact in keys):
                score = (min((0.5 if w in _COMMON_TOKENS else len(w) + 1) if exact else len(w)
                             for w, exact in keys), -len(keys))
                if best_score is None or score > best_score:
                    best, best_score = frozenset(keys), score
        if op is _sre_c.LITERAL:
            at_token_start = av == _SPACE
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
            at_token_start = at_token_start and _ends_with_space(list(av[2]))
        elif op in (_sre_c.SUBPATTERN, _sre_c.BRANCH):
            at_token_start = _ends_with_space([(op, av)])
        else:
            at_token_start = False
    return best


class _Tokens:
    """A canonical text with its distinct tokens sorted, for fast token-prefix look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.long = len(text) > _LONG_TEXT
        self._set = set(text.split(" "))
        self._sorted = sorted(self._set)
        self._prefix_set: Optional[set[str]] = None
        self._cache: dict[str, bool] = {}
        self._windows: dict[frozenset[tuple[str, bool]], Optional[list[tuple[int, int]]]] = {}

    def has(self, key: tuple[str, bool]) -> bool:
        word, exact = key
        return word in self._set if exact else self.has_prefix(word)

    def any_key(self, exact: frozenset[str], prefixes: frozenset[str]) -> bool:
        """Whether a token is one of `exact` or starts with one of `prefixes` (set look-ups:
        the cost grows with the text's tokens, not with a rule's number of keys)."""
        if exact and not exact.isdisjoint(self._set):
            return True
        if not prefixes:
            return False
        return not prefixes.isdisjoint(self.prefix_set())

    def prefix_set(self) -> set[str]:
        """Every token's prefixes up to _MAX_PREFIX characters (built once, when first asked)."""
        if self._prefix_set is None:
            self._prefix_set = {t[:i] for t in self._set
                                for i in range(1, min(len(t), _MAX_PREFIX) + 1)}
        return self._prefix_set

    def has_prefix(self, key: str) -> bool:
        hit = self._cache.get(key)
        if hit is None:
            i = bisect.bisect_left(self._sorted, key)
            hit = i < len(self._sorted) and self._sorted[i].startswith(key)
            self._cache[key] = hit
        return hit

    def windows(self, keys: frozenset[tuple[str, bool]]) -> Optional[list[tuple[int, int]]]:
        """Merged (start, end) windows around the tokens starting with one of `keys`."""
        cached = self._windows.get(keys, False)
        if cached is not False:
            return cached
        self._windows[keys] = result = self._find_windows(keys)
        return result

    def _find_windows(self, keys: frozenset[tuple[str, bool]]) -> Optional[list[tuple[int, int]]]:
        text, starts = self.text, []
        for key in keys:
            if not self.has(key):
                continue
            word, exact = key
            if exact and text.endswith(" " + word):  # a whole token at the very end
                starts.append(len(text) - len(word))
            key = word + " " if exact else word
            if text.startswith(key) or text == word:
                starts.append(0)
            needle, pos = " " + key, text.find(" " + key)
            while pos >= 0:
                starts.append(pos + 1)
                if len(starts) > _MAX_WINDOWS:
                    return None
                pos = text.find(needle, pos + 1)
        merged: list[tuple[int, int]] = []
        for start in sorted(starts):
            lo, hi = max(0, start - _WINDOW), start + _WINDOW
            end = text.find(" ", hi)  # never cut a token at the window's end
            hi = len(text) if end < 0 or hi >= len(text) else end
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        return merged


@lru_cache(maxsize=16)
def _tokens_of(text: str) -> "_Tokens":
    """The tokens of a text, canonical (a no-op on a canonical text; on any other text a gate
    that passes at least wherever the regex can match), built once for the several keyed
    regexes asked of it."""
    return _Tokens(canonical(text))


class KeyedRegex:
    """An alternation of regexes that is run only when a key word of one of its alternatives
    occurs in the (canonical) text (`_token_keys`); an alternative without keys is always run.

    For the grading's long alternations (bot/safety/risk.py): on a text with none of their
    words they cost a few set look-ups instead of trying every alternative at every token.
    `search` answers as the plain regex would; everything else goes to the compiled regex.
    """

    def __init__(self, alternatives: tuple[str, ...], regex: re.Pattern) -> None:
        self.regex = regex
        exact: set[str] = set()
        prefixes: set[str] = set()
        always = not alternatives
        for alternative in alternatives:
            keys = _token_keys(r"\b(?:" + canonical_regex(alternative) + r")")
            if keys is None or any(len(w) > _MAX_PREFIX for w, e in keys if not e):
                always = True
                break
            for word, is_exact in keys:
                (exact if is_exact else prefixes).add(word)
        self._always = always
        self._exact, self._prefixes = frozenset(exact), frozenset(prefixes)

    def search(self, text: str, *args) -> Optional[re.Match]:
        if (len(text) > _GATE_FROM and not self._always
                and not _tokens_of(text).any_key(self._exact, self._prefixes)):
            return None
        return self.regex.search(text, *args)

    def __getattr__(self, name: str):
        return getattr(self.regex, name)


@dataclass(frozen=True)
class _Part:
    regex: re.Pattern
    keys: Optional[frozenset[tuple[str, bool]]]  # see `_token_keys`

    @property
    def _split_keys(self) -> tuple[frozenset[str], frozenset[str], bool]:
        cached = self.__dict__.get("_split")
        if cached is None:
            keys = self.keys or frozenset()
            long_prefix = any(len(w) > _MAX_PREFIX for w, exact in keys if not exact)
            cached = (frozenset(w for w, exact in keys if exact),
                      frozenset(w for w, exact in keys if not exact), long_prefix)
            object.__setattr__(self, "_split", cached)
        return cached[0], cached[1], cached[2]

    def gate(self, tokens: "_Tokens") -> bool:
        """Whether one of the regex's key words occurs in the text."""
        exact, prefixes, long_prefix = self._split_keys
        if long_prefix:  # prefixes longer than the prefix set holds: ask one by one
            return any(tokens.has(k) for k in self.keys)
        return tokens.any_key(exact, prefixes)

    def spans(self, tokens: _Tokens) -> Iterator[tuple[int, int]]:
        """(start, end) of the regex's matches, skipping what the key gate rules out."""
        text = tokens.text
        if self.keys is not None:
            if not self.gate(tokens):
                return
            if tokens.long:
                windows = tokens.windows(self.keys)
                if windows is not None:
                    for lo, hi in windows:
                        for m in self.regex.finditer(text, lo, hi):
                            yield m.span()
                    return
        for m in self.regex.finditer(text):
            yield m.span()

    def search(self, tokens: _Tokens) -> bool:
        return next(self.spans(tokens), None) is not None


@dataclass(frozen=True)
class _Rule:
    """One lexicon entry: a regex, or a list of regexes that must all match (conjunction),
    with optional exceptions of its own (`unless`, checked near the match)."""

    source: str
    parts: tuple[_Part, ...]
    unless: tuple[_Part, ...] = ()

    def spans(self, tokens: _Tokens) -> Iterator[tuple[int, int]]:
        if all(p.search(tokens) for p in self.parts[1:]):
            yield from self.parts[0].spans(tokens)

    def search(self, tokens: _Tokens) -> bool:
        return next(self.spans(tokens), None) is not None


@dataclass(frozen=True)
class _Category:
    name: str
    patterns: "_RuleIndex"
    contextual: "_RuleIndex"
    unless: "_RuleIndex"


def _expand(source: str, fragments: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise ValueError(f"fragment nesting too deep in {source}")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            return m.group(0)  # not a fragment (e.g. a quantifier would never be upper-case)
        return "(?:" + _expand(fragments[name], fragments, depth + 1) + ")"

    return _FRAGMENT_REF.sub(sub, source)


def _compile_part(source: str, fragments: dict[str, str]) -> _Part:
    regex = re.compile(canonical_regex(_expand(str(source), fragments)), re.UNICODE)
    return _Part(regex, _token_keys(regex.pattern))


def _compile(entry: Union[str, list, dict], fragments: dict[str, str]) -> _Rule:
    """A rule: "regex", [all, of, these], or {pattern: ... or all: [...], unless: [...]}."""
    unless: list = []
    if isinstance(entry, dict):
        unless = list(entry.get("unless") or [])
        entry = entry["all"] if "all" in entry else entry["pattern"]
    sources = entry if isinstance(entry, list) else [entry]
    parts = tuple(_compile_part(src, fragments) for src in sources)
    return _Rule(" & ".join(str(s) for s in sources), parts,
                 tuple(_compile_part(u, fragments) for u in unless))


def _near(tokens: _Tokens, span: tuple[int, int]) -> _Tokens:
    """The text within _WINDOW characters of a match (whole tokens), for `unless` checks."""
    text = tokens.text
    if not tokens.long:
        return tokens
    lo, hi = max(0, span[0] - _WINDOW), min(len(text), span[1] + _WINDOW)
    lo = text.rfind(" ", 0, lo) + 1 if lo > 0 else 0
    end = text.find(" ", hi)
    hi = len(text) if end < 0 else end
    return _Tokens(text[lo:hi])


class _RuleIndex:
    """A list of rules indexed by the key words of each rule's first part (`_token_keys`).

    A text's tokens pick, by a few set look-ups, the rules whose key gate can pass, in the
    list's order; the others are not asked one by one. The key gate still runs on each rule
    picked (`_Part.spans`): the index only leaves out rules that cannot match.
    """

    def __init__(self, rules: tuple[_Rule, ...]) -> None:
        self.rules = rules
        self._always: list[int] = []  # rules without keys, or with prefixes too long to index
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        for i, rule in enumerate(rules):
            part = rule.parts[0]
            exact, prefixes, long_prefix = part._split_keys
            if part.keys is None or long_prefix:
                self._always.append(i)
                continue
            for word in exact:
                self._exact.setdefault(word, []).append(i)
            for word in prefixes:
                self._prefix.setdefault(word, []).append(i)

    def candidates(self, tokens: _Tokens) -> list[_Rule]:
        hits = set(self._always)
        for word in tokens._set:
            hits.update(self._exact.get(word, ()))
        if self._prefix:
            have = tokens.prefix_set()
            if len(self._prefix) < len(have):
                for word, positions in self._prefix.items():
                    if word in have:
                        hits.update(positions)
            else:
                for word in have:
                    hits.update(self._prefix.get(word, ()))
        return [self.rules[i] for i in sorted(hits)]


def _first(rules: _RuleIndex, tokens: _Tokens) -> Optional[_Rule]:
    for rule in rules.candidates(tokens):
        if rule.search(tokens):
            return rule
    return None


class CrisisLexicon:
    """Compiled crisis lexicon; `detect` returns the first matching category or None.

    Per category: `patterns` always mean crisis; `contextual` rules mean crisis unless one of
    the category's `unless` rules (its own plus the shared sets named in `unless_sets`), or
    the rule's own `unless`, matches near the mention (within _WINDOW characters; i.e. in the
    whole message unless it is long). A rule is a regex, a list of regexes that must all
    match, or a mapping {pattern | all, unless}. `{NAME}` in a regex refers to an entry of
    the top-level `fragments`.
    """

    def __init__(self, categories: list[_Category]) -> None:
        self._categories = categories

    @classmethod
    def from_file(cls, path: Path = LEXICON_PATH, skip_sets: tuple = ()) -> "CrisisLexicon":
        """``skip_sets``: shared `unless_sets` to leave out (e.g. "past": a mention of an old
        event then counts; the risk grading uses that for `concern`)."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        fragments = {k: str(v) for k, v in (raw.get("fragments") or {}).items()}
        shared = raw.get("unless_sets") or {}
        categories = []
        for name, spec in raw["categories"].items():

            def compile_all(entries) -> _RuleIndex:
                return _RuleIndex(tuple(_compile(e, fragments) for e in entries or []))

            unless_entries = list(spec.get("unless") or [])
            for set_name in spec.get("unless_sets") or []:
                if set_name not in skip_sets:
                    unless_entries.extend(shared[set_name])
            patterns = compile_all(spec.get("patterns"))
            contextual = compile_all(spec.get("contextual"))
            unless = compile_all(unless_entries)
            categories.append(_Category(name, patterns, contextual, unless))
        return cls(categories)

    def detect(self, text: str) -> Optional[CrisisMatch]:
        norm = canonical(text)
        if not norm:
            return None
        # Each regex is gated by literal token prefixes (see `_token_keys`): only regexes whose
        # key words occur are run at all, and on long texts only around those words.
        tokens = _Tokens(norm)
        for cat in self._categories:
            rule = _first(cat.patterns, tokens)
            if rule is not None:
                return CrisisMatch(cat.name, rule.source)
        for cat in self._categories:
            for rule in cat.contextual.candidates(tokens):
                # Exceptions count only near the mention (the whole text when it is short).
                for n, span in enumerate(rule.spans(tokens)):
                    if n >= _MAX_WINDOWS:
                        break
                    near = _near(tokens, span)
                    if any(p.search(near) for p in rule.unless):
                        continue
                    if _first(cat.unless, near) is None:
                        return CrisisMatch(cat.name, rule.source, strong=False)
        return None


@lru_cache(maxsize=1)
def default_lexicon() -> CrisisLexicon:
    return CrisisLexicon.from_file()


@lru_cache(maxsize=1)
def past_lexicon() -> CrisisLexicon:
    """The lexicon without its "past" exceptions: old events count (for `concern`)."""
    return CrisisLexicon.from_file(skip_sets=("past",))


def detect_crisis(text: str) -> Optional[CrisisMatch]:
    return default_lexicon().detect(text)
