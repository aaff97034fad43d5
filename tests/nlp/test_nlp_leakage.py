"""No UD dev/test sentence may reach the training data (both written standards)."""

from __future__ import annotations

from typing import Iterable, List, Sequence

from bot.nlp import corpus

_UD_CACHE = {}


def _ud_sentences(base) -> List[Sequence[str]]:
    if base not in _UD_CACHE:
        out = []
        for std in corpus.STANDARDS:
            for split in ("dev", "test"):
                out.extend(
                    tuple(s.words) for s in corpus.read_conllu(corpus.ud_file(split, std, base))
                )
        _UD_CACHE[base] = out
    return _UD_CACHE[base]


def _assert_no_leak(train: Iterable[Sequence[str]], ud: List[Sequence[str]]) -> int:
    """Independent of corpus.HeldOut: exact token-sequence match, plus every UD
    sentence of >= 3 tokens searched as a contiguous token subsequence."""
    exact = set(ud)
    by_trigram = {}
    for w in ud:
        if len(w) >= 3:
            by_trigram.setdefault(tuple(w[:3]), []).append(w)
    n = 0
    leaked, contained = [], []
    for words in train:
        words = tuple(words)
        n += 1
        if words in exact:
            leaked.append(" ".join(words))
            continue
        for i in range(len(words) - 2):
            for cand in by_trigram.get(words[i : i + 3], ()):
                if words[i : i + len(cand)] == cand:
                    contained.append(" ".join(cand))
    assert not leaked, f"{len(leaked)} UD dev/test sentences in training data, e.g. {leaked[:3]}"
    assert not contained, (
        f"{len(contained)} UD dev/test sentences inside training sentences, e.g. {contained[:3]}"
    )
    return n


def test_corpus_reader_output_has_no_ud_dev_test_sentence(norne):
    train = corpus.training_sentences(norne)
    n = _assert_no_leak((s.words for s in train), _ud_sentences(norne))
    assert n > 25000  # both standards are in the training data
    sources = {s.source.split("/")[0] for s in train}
    assert sources == {"nob", "nno"}


def test_training_docbin_has_no_ud_dev_test_sentence(norne):
    import pytest

    path = corpus.VAR_DIR / "train.spacy"
    if not path.is_file():
        pytest.skip(f"{path} not built (run `python -m bot.nlp.train --stage convert`)")
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("nb").vocab
    docs = DocBin().from_disk(path).get_docs(vocab)
    # one DocBin doc per sentence (docs_per_group=1)
    _assert_no_leak(([t.text for t in d] for d in docs), _ud_sentences(norne))


def test_tag_mapping_agrees_with_ud_dev(norne):
    """The NDT->UPOS mapping reproduces the UD Bokmål dev annotation: 99.82 % of all
    tokens (99.63 % before the preposition rules), and ADP/SCONJ for NDT prepositions."""
    ndt = {}
    for s in corpus.read_ndt("nob", norne):
        ndt.setdefault(s.key, s)
    agree = total = prep_agree = prep_total = 0
    for u in corpus.read_conllu(corpus.ud_file("dev", "nob", norne)):
        n = ndt.get(u.key)
        if n is None:
            continue
        mapped = corpus.map_ndt_pos(n)
        agree += sum(a == b for a, b in zip(mapped, u.pos))
        total += len(mapped)
        for a, b, tag in zip(mapped, u.pos, n.ndt_pos):
            if tag == "prep" and b in ("ADP", "SCONJ"):
                prep_agree += a == b
                prep_total += 1
    assert total > 30000 and prep_total > 4000
    assert agree / total >= 0.997
    assert prep_agree / prep_total >= 0.985
