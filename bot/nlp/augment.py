"""Mention replacement for NER training (a spaCy augmenter, training only).

Most NER errors of the pipeline are label confusions on proper names it has never seen
(bot/nlp/README.md): the model learns a label from the name itself, and a new name has
nothing to go on but its context. With probability `level`, a training sentence that has
entities is given to the model with each of its mentions replaced (with probability
`replace_prob`) by another mention of the same label, drawn from the training split's own
mentions ("mention replacement", Dai & Adel 2020). The labels stay right; the name no longer
tells them, so the context has to. The new mention's tokens keep their own POS and lemma.

Registered as ``parorende.mention_swap.v1``; used through ``[corpora.train.augmenter]``.
Only the training corpus may use it: the mention bank is read from `mentions_from` (the
training DocBin), so no dev or test name enters training. The shipped config has the
augmenter removed (train.py finalize), so loading the pipeline does not need this module.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

# one token of a mention: (text, whitespace after it, UPOS, lemma)
Token = Tuple[str, str, str, str]
Mention = Tuple[Token, ...]


def _annotation(t) -> Token:
    return (t.text, t.whitespace_, t.pos_, t.lemma_)


def mention_bank(docs) -> Dict[str, List[Mention]]:
    """Every entity mention of `docs`, by label (duplicates kept: frequent names are
    drawn more often, as they occur)."""
    bank: Dict[str, List[Mention]] = defaultdict(list)
    for doc in docs:
        for ent in doc.ents:
            bank[ent.label_].append(tuple(_annotation(t) for t in ent))
    return dict(bank)


def swap_mentions(doc: Doc, bank: Dict[str, List[Mention]], replace_prob: float,
                  rng=random) -> Doc:
    """A copy of `doc` (words, spaces, POS, lemmas, entities) with mentions replaced."""
    tokens: List[Token] = []
    ents: List[str] = []
    starts = {e.start: e for e in doc.ents}
    i = 0
    while i < len(doc):
        ent = starts.get(i)
        if ent is None:
            tokens.append(_annotation(doc[i]))
            ents.append("O")
            i += 1
            continue
        new = [_annotation(t) for t in ent]
        choices = bank.get(ent.label_)
        if choices and rng.random() < replace_prob:
            new = list(rng.choice(choices))
            # the original mention's trailing space, not the donor's
            text, _, pos, lemma = new[-1]
            new[-1] = (text, ent[-1].whitespace_, pos, lemma)
        tokens.extend(new)
        ents.extend(("B-" if k == 0 else "I-") + ent.label_ for k in range(len(new)))
        i = ent.end
    words, spaces, pos, lemmas = zip(*tokens)
    return Doc(doc.vocab, words=list(words), spaces=[bool(w) for w in spaces],
               pos=list(pos) if all(pos) else None, lemmas=list(lemmas), ents=ents)


@registry.augmenters("parorende.mention_swap.v1")
def create_mention_swap(
    mentions_from: str, level: float = 0.3, replace_prob: float = 0.7
) -> Callable[..., Iterator[Example]]:
    """Augmenter: with probability `level`, a sentence with entities is replaced by a copy
    whose mentions are swapped (each with probability `replace_prob`)."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    bank = mention_bank(DocBin().from_disk(Path(mentions_from)).get_docs(Vocab()))

    def augment(nlp, example: Example) -> Iterator[Example]:
        ref = example.reference
        # the global `random`, seeded by spaCy from [system] seed: runs are reproducible
        if not ref.ents or random.random() >= level:
            yield example
            return
        new = swap_mentions(ref, bank, replace_prob, random)
        yield Example(nlp.make_doc(new.text), new)

    return augment
