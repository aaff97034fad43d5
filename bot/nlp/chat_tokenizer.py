"""Chat-text tokenizer adjustments for the Norwegian pipeline.

The rules below are applied to the spaCy ``nb`` tokenizer once, at training
initialisation (``[initialize.before_init]`` callback). Special cases and
prefix/suffix/infix/URL patterns are stored in the pipeline's ``tokenizer``
file, so a trained pipeline needs none of this code to load: ``train.py``
removes the callback reference from the shipped ``config.cfg``.

Handled:
* emoji split from words ("takk👍" -> "takk", "👍"), keeping skin-tone
  modifiers and ZWJ sequences attached to their base emoji;
* missing space after sentence punctuation between words ("hei.jeg",
  "hei!jeg", "ja?nei"), without splitting abbreviations ("f.eks", "bl.a")
  or web addresses ("nav.no", "helsenorge.no");
* chat abbreviations kept as one token, with or without a final period
  ("pga", "ifht", "mvh", "iht", "evt", "osv" ...).
"""

from __future__ import annotations

import re
from typing import Callable, Dict, List

import spacy
from spacy.language import Language
from spacy.symbols import NORM, ORTH
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

CALLBACK_NAME = "parorende.chat_tokenizer.v1"

# Emoji: base pictographs/symbols, then optional variation selector, skin tone
# modifiers, and ZWJ-joined continuations (👩‍⚕️, 🙏🏽, ❤️).
_EMOJI_BASE = (
    "\u2600-\u27bf"  # misc symbols, dingbats
    "\u2b00-\u2bff"  # arrows, stars
    "\U0001f000-\U0001f3fa"  # mahjong .. before skin tones
    "\U0001f400-\U0001faff"  # pictographs, emoticons, transport, supplemental
)
_EMOJI_MOD = "\ufe0f\U0001f3fb-\U0001f3ff"
EMOJI = f"[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200d[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*"

_LOWER = "a-zæøåäöüéèêóòôáàç"
_ALPHA = _LOWER + "A-ZÆØÅÄÖÜÉÈÊÓÒÔÁÀÇ"
# Top-level domains that must not be split ("nav.no", "vg.no", "google.com").
TLDS = ["no", "com", "org", "net", "se", "dk", "eu", "info", "io", "nu", "gov", "edu", "uk", "de"]

CHAT_PREFIXES = [EMOJI]
CHAT_SUFFIXES = [
    EMOJI,
    # Final period after a number that cannot be an ordinal: "2005." "3.49." "F-35." "P1."
    # (1-2 digit ordinals like "17." stay one token, as in UD). Chosen on the UD dev split.
    r"(?<=[0-9]{3})\.",
    r"(?<=[.,:-][0-9])\.",
    r"(?<=[.,:-][0-9]{2})\.",
    r"(?<=[A-Za-zÆØÅæøå][0-9])\.",
]
CHAT_INFIXES = [
    EMOJI,
    # "hei.jeg", "kommunen.de": period between two words (left >= 2 letters,
    # right >= 2 letters and not a TLD) -> split.
    rf"(?<=[{_ALPHA}]{{2}})\.(?!(?:{'|'.join(TLDS)})\b)(?=[{_ALPHA}]{{2,}})",
    # "hei!jeg", "ja?nei", "takk!Hilsen"
    rf"(?<=[{_ALPHA}])[!?]+(?=[{_ALPHA}])",
    # scores and ranges "4-1", "2005-2006" (UD splits the hyphen)
    r"(?<=[0-9])-(?=[0-9])",
    # "45 år,har" is handled by spaCy's default comma infix; also ";" between words
    rf"(?<=[{_ALPHA}]);(?=[{_ALPHA}])",
]

# Chat abbreviations: (orth, norm). Each is added lower-case, capitalised and
# with a final period.
CHAT_ABBREVIATIONS: Dict[str, str] = {
    "pga": "på grunn av",
    "ifht": "i forhold til",
    "iforht": "i forhold til",
    "ift": "i forhold til",
    "iht": "i henhold til",
    "mvh": "med vennlig hilsen",
    "vh": "vennlig hilsen",
    "evt": "eventuelt",
    "ev": "eventuelt",
    "osv": "og så videre",
    "dvs": "det vil si",
    "feks": "for eksempel",
    "mtp": "med tanke på",
    "mht": "med hensyn til",
    "tlf": "telefon",
    "ca": "cirka",
    "bla": "blant annet",
    "vha": "ved hjelp av",
    "ang": "angående",
    "vedr": "vedrørende",
    "iflg": "ifølge",
    "hhv": "henholdsvis",
    "bl.a": "blant annet",
    "f.eks": "for eksempel",
    "m.m": "med mer",
    "o.l": "og lignende",
    "t.o.m": "til og med",
    "f.o.m": "fra og med",
}
# Words that are ordinary words without the period; only the dotted form is special.
_ONLY_WITH_PERIOD = {"bla", "ca", "ang", "ev"}


# spaCy nb exceptions that glue a sentence-final period to an ordinary word
# ("i.", "to.", "min.") or a party name ("Frp.", "Sp."): on the UD dev split
# the split form is more frequent, so they are removed.
DROP_SPECIAL_CASES = ["Frp.", "Sp.", "eg.", "i.", "jul.", "kr.", "min.", "no.", "to."]


def chat_special_cases() -> Dict[str, List[dict]]:
    cases: Dict[str, List[dict]] = {}
    for abbr in CHAT_ABBREVIATIONS:
        for form in {abbr, abbr[0].upper() + abbr[1:], abbr.upper()}:
            variants = [form + "."] if abbr in _ONLY_WITH_PERIOD else [form, form + "."]
            for v in variants:
                cases[v] = [{ORTH: v, NORM: v.lower()}]
    return cases


def _url_match_pattern(base_pattern: str) -> str:
    """Restrict spaCy's URL matcher to real-looking addresses.

    spaCy's URL pattern accepts "hei.jeg" (any 2+ letter TLD); we require a
    scheme, "www." or a known TLD.
    """
    if base_pattern.startswith("(?u)"):
        base_pattern = base_pattern[4:]
    assert base_pattern.startswith("^")
    tld = "|".join(TLDS)
    guard = rf"(?=(?:[a-z][a-z0-9+.-]*://|www\.)|.*\.(?:{tld})(?:[/:?#]|$))"
    return "(?u)^" + guard + base_pattern[1:]


def customize_tokenizer(nlp: Language) -> Language:
    """Apply the chat rules to ``nlp.tokenizer`` in place (idempotent)."""
    tok = nlp.tokenizer
    defaults = nlp.Defaults
    prefixes = list(CHAT_PREFIXES) + [
        p for p in (defaults.prefixes or []) if p not in CHAT_PREFIXES
    ]
    suffixes = list(CHAT_SUFFIXES) + [
        s for s in (defaults.suffixes or []) if s not in CHAT_SUFFIXES
    ]
    infixes = list(CHAT_INFIXES) + [i for i in (defaults.infixes or []) if i not in CHAT_INFIXES]
    tok.prefix_search = compile_prefix_regex(prefixes).search
    tok.suffix_search = compile_suffix_regex(suffixes).search
    tok.infix_finditer = compile_infix_regex(infixes).finditer
    if defaults.url_match is not None:
        base = defaults.url_match.__self__.pattern
        tok.url_match = re.compile(_url_match_pattern(base)).match
    rules = {k: v for k, v in (tok.rules or {}).items() if k not in DROP_SPECIAL_CASES}
    rules.update(chat_special_cases())
    tok.rules = rules
    return nlp


@spacy.registry.callbacks(CALLBACK_NAME)
def create_chat_tokenizer_callback() -> Callable[[Language], Language]:
    """``[initialize.before_init]`` callback used by ``bot/nlp/config.cfg``."""
    return customize_tokenizer


SYMBOL_RULER = "chat_symbols"


def add_symbol_ruler(nlp):
    """An attribute ruler after the morphologizer that tags emoji tokens as SYM.

    The tagger has never seen an emoji (NorNE is edited text) and guesses NOUN, PROPN,
    ADJ or VERB for them. The pattern is stored with the pipeline, so loading needs no
    repo code. Idempotent; returns nlp."""
    if SYMBOL_RULER in nlp.pipe_names:
        return nlp
    where = {"after": "morphologizer"} if "morphologizer" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("attribute_ruler", name=SYMBOL_RULER, **where)
    ruler.add([[{"TEXT": {"REGEX": f"^(?:{EMOJI})+$"}}]], {"POS": "SYM"})
    return nlp
