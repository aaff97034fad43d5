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
from typing import Callable, Dict, Iterator, List, Sequence, Tuple

from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

# one token of a mention: (text, whitespace after it, UPOS, lemma)
Token = Tuple[str, str, str, str]
Mention = Tuple[Token, ...]


def mention_bank(docs) -> Dict[str, List[Mention]]:
    """Every entity mention of `docs`, by label (duplicates kept: frequent names are
    drawn more often, as they occur)."""
    bank: Dict[str, List[Mention]] = defaultdict(list)
    for doc in docs:
        for ent in doc.ents:
            toks = tuple(
                (t.text, t.whitespace_, t.pos_, t.lemma_) for t in ent
            )
            bank[ent.label_].append(toks)
    return dict(bank)


def swap_mentions(doc: Doc, bank: Dict[str, List[Mention]], replace_prob: float,
                  rng=random) -> Doc:
    """A copy of `doc` (words, spaces, POS, lemmas, entities) with mentions replaced."""
    words: List[str] = []
    spaces: List[bool] = []
    pos: List[str] = []
    lemmas: List[str] = []
    ents: List[str] = []
    starts = {e.start: e for e in doc.ents}
    i = 0
    while i < len(doc):
        ent = starts.get(i)
        if ent is not None:
            choices = bank.get(ent.label_)
            if choices and rng.random() < replace_prob:
                toks: Sequence[Token] = rng.choice(choices)
                # the original mention's trailing space, not the donor's
                toks = list(toks[:-1]) + [(*toks[-1][:1], ent[-1].whitespace_, *toks[-1][2:])]
            else:
                toks = [(t.text, t.whitespace_, t.pos_, t.lemma_) for t in ent]
            for k, (text, ws, p, lemma) in enumerate(toks):
                words.append(text)
                spaces.append(bool(ws))
                pos.append(p)
                lemmas.append(lemma)
                ents.append(("B-" if k == 0 else "I-") + ent.label_)
            i = ent.end
            continue
        t = doc[i]
        words.append(t.text)
        spaces.append(bool(t.whitespace_))
        pos.append(t.pos_)
        lemmas.append(t.lemma_)
        ents.append("O")
        i += 1
    has_pos = all(pos)
    return Doc(doc.vocab, words=words, spaces=spaces, pos=pos if has_pos else None,
               lemmas=lemmas, ents=ents)


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
