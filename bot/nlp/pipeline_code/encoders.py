"""Encoder architectures for the nb_parorende pipeline (issue 4).

This file is shipped inside the pipeline package (`spacy package --code`, see
scripts/build_nlp_package.py), so it may import only spaCy and thinc.

`parorende.CNNBiLSTMEncoder.v1`: spaCy's maxout CNN (±window*depth tokens of context)
followed by a bidirectional LSTM over the whole sentence, added as a residual. It uses
thinc's own LSTM (NumpyOps, Cython), so no PyTorch is needed for training or loading.
The CNN gives the same local features as the standard spaCy encoder; the BiLSTM adds
sentence-wide context, which the NER's label decisions (GPE_LOC vs GPE_ORG, LOC vs
GPE_LOC) depend on.
"""

from __future__ import annotations

from typing import List, Optional

import numpy
from spacy.ml._character_embed import CharacterEmbed as CharEmbed
from spacy.ml.featureextractor import FeatureExtractor
from spacy.ml.models.tok2vec import MaxoutWindowEncoder, MultiHashEmbed
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    LSTM,
    Embed,
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    residual,
    with_array,
    with_padded,
)
from thinc.types import Floats2d, Ints2d


@registry.architectures("parorende.CNNBiLSTMEncoder.v1")
def CNNBiLSTMEncoder(
    width: int,
    cnn_depth: int,
    window_size: int,
    maxout_pieces: int,
    lstm_depth: int,
    lstm_dropout: float = 0.0,
) -> Model[List[Floats2d], List[Floats2d]]:
    """CNN (may be depth 0) then a residual BiLSTM of `lstm_depth` layers; width is kept."""
    layers = []
    if cnn_depth > 0:
        layers.append(
            MaxoutWindowEncoder(
                width=width, window_size=window_size, maxout_pieces=maxout_pieces, depth=cnn_depth
            )
        )
    if lstm_depth > 0:
        lstm = LSTM(nO=width, nI=width, bi=True, depth=lstm_depth, dropout=lstm_dropout)
        layers.append(residual(with_padded(lstm)))
    if not layers:
        raise ValueError("CNNBiLSTMEncoder needs cnn_depth > 0 or lstm_depth > 0")
    model = layers[0] if len(layers) == 1 else chain(*layers)
    if model.has_dim("nO") is not False:
        model.set_dim("nO", width)
    model.attrs["receptive_field"] = window_size * cnn_depth
    return model


def _with_char_features(
    hashed: Model[List[Doc], List[Floats2d]],
    width: int,
    n_char_dims: int,
    n_chars: int,
    extra: Optional[Model[List[Doc], List[Floats2d]]] = None,
    n_extra: int = 0,
) -> Model[List[Doc], List[Floats2d]]:
    """`hashed` concatenated with embedded first/last character bytes (and `extra`, of
    width `n_extra`, if given), mixed by a maxout."""
    chars = chain(
        CharEmbed(nM=n_char_dims, nC=n_chars),
        with_array(Maxout(width, n_char_dims * n_chars, nP=3, normalize=True)),
    )
    parts = [hashed, chars] + ([extra] if extra is not None else [])
    model = chain(
        concatenate(*parts),
        with_array(Maxout(width, 2 * width + n_extra, nP=3, normalize=True, dropout=0.0)),
    )
    model.set_dim("nO", width)
    return model


@registry.architectures("parorende.HashCharEmbed.v1")
def HashCharEmbed(
    width: int,
    attrs: List[str],
    rows: List[int],
    n_char_dims: int,
    n_chars: int,
) -> Model[List[Doc], List[Floats2d]]:
    """spaCy's MultiHashEmbed plus case-sensitive character features, mixed by a maxout layer.

    The character part embeds the first and last `n_chars // 2` UTF-8 bytes of each token
    (spaCy's CharEmbed layer, `n_char_dims` per byte). Unlike the hashed NORM/PREFIX/
    SUFFIX/SHAPE features it sees the exact ending and capitalisation of unseen words
    (surnames in -sen/-stad, place names in -vik/-dal), which is where the NER fails.
    """
    hashed = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=False)
    return _with_char_features(hashed, width, n_char_dims, n_chars)


# Hash of the placeholder that stands in for a hidden word form (name dropout, below).
_HIDDEN_NORM = "-PARORENDE-HIDDEN-NAME-"


def NameDropoutFeatures(attrs: List[str], name_dropout: float) -> Model[List[Doc], List[Ints2d]]:
    """spaCy's FeatureExtractor, but while training, each capitalised token's NORM is
    replaced by one shared placeholder with probability `name_dropout`.

    Word dropout for names (Lample et al. 2016 replace singletons by UNK): the NER has to
    recognise a capitalised word from its characters, shape and context, not from having
    memorised the word. 59 % of the entity mentions in the UD Bokmål test split never
    occur in training (44 % on dev), and nearly every name a relative types in the chat
    is new to the model. At prediction time this layer is exactly FeatureExtractor.
    """
    extractor = FeatureExtractor(list(attrs))
    norm_col = [str(a).upper() for a in attrs].index("NORM") if "NORM" in attrs else None
    hidden = numpy.uint64(hash_string(_HIDDEN_NORM))

    def forward(model: Model, docs: List[Doc], is_train: bool):
        arrays = extractor.predict(docs)
        if is_train and name_dropout > 0 and norm_col is not None:
            out = []
            for doc, arr in zip(docs, arrays):
                if len(doc):
                    title = numpy.fromiter(
                        (t.text[:1].isupper() for t in doc), dtype=bool, count=len(doc)
                    )
                    mask = title & (numpy.random.random(len(doc)) < name_dropout)
                    if mask.any():
                        arr = arr.copy()
                        arr[mask, norm_col] = hidden
                out.append(arr)
            arrays = out
        return arrays, lambda d_arrays: []

    return Model("name_dropout_features", forward, layers=[extractor], attrs={"p": name_dropout})


def _hashed_features(
    width: int, attrs: List[str], rows: List[int], name_dropout: float
) -> Model[List[Doc], List[Floats2d]]:
    """spaCy's MultiHashEmbed (same tables, seeds and mixing layer) with its feature
    extractor swapped for NameDropoutFeatures."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    embeddings = [
        HashEmbed(width, rows[i], column=i, seed=8 + i, dropout=0.0) for i in range(len(attrs))
    ]
    return chain(
        NameDropoutFeatures(attrs, name_dropout),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, width * len(attrs), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )


@registry.architectures("parorende.HashCharEmbed.v2")
def HashCharEmbedV2(
    width: int,
    attrs: List[str],
    rows: List[int],
    n_char_dims: int,
    n_chars: int,
    name_dropout: float = 0.0,
) -> Model[List[Doc], List[Floats2d]]:
    """HashCharEmbed.v1 with name dropout on the NORM feature (NameDropoutFeatures).

    The hashed part is spaCy's MultiHashEmbed (same tables, seeds and mixing layer) with
    its feature extractor swapped for NameDropoutFeatures; with name_dropout = 0 it is
    the same network as v1.
    """
    hashed = _hashed_features(width, attrs, rows, name_dropout)
    return _with_char_features(hashed, width, n_char_dims, n_chars)


# Gazetteer classes, in bit order (bot/nlp/gazetteer.py writes the masks).
GAZETTEER_CLASSES = ("top", "ant", "cog", "org", "al")


def GazetteerIds(path: Optional[str]) -> Model[List[Doc], List[Ints2d]]:
    """Each token's gazetteer bit mask (0 when its lower-cased form is not listed), as an
    (n_tokens, 1) array.

    The table (sorted uint64 hashes of lower-cased forms = Token.lower, and uint8 masks)
    lives in the model's attrs, so it is saved with the pipeline; `path` (an .npz from
    `python -m bot.nlp.gazetteer`) is read only when the model is initialised for training.
    """

    def init(model: Model, X=None, Y=None) -> None:
        if model.attrs["keys"].size == 0 and path:
            with numpy.load(path) as table:
                model.attrs["keys"] = numpy.ascontiguousarray(table["keys"], dtype=numpy.uint64)
                model.attrs["values"] = numpy.ascontiguousarray(table["values"], dtype=numpy.uint8)

    def forward(model: Model, docs: List[Doc], is_train: bool):
        keys = model.attrs["keys"]
        values = model.attrs["values"]
        out = []
        for doc in docs:
            ids = numpy.zeros((len(doc), 1), dtype="uint64")
            if len(doc) and keys.size:
                lower = doc.to_array("LOWER").astype(numpy.uint64)
                pos = numpy.searchsorted(keys, lower)
                pos[pos == keys.size] = 0
                found = keys[pos] == lower
                ids[found, 0] = values[pos[found]]
            out.append(model.ops.asarray2i(ids, dtype="uint64"))
        return out, lambda d_out: []

    return Model(
        "gazetteer_ids",
        forward,
        init=init,
        attrs={
            "keys": numpy.zeros((0,), dtype=numpy.uint64),
            "values": numpy.zeros((0,), dtype=numpy.uint8),
        },
    )


@registry.architectures("parorende.HashCharEmbed.v3")
def HashCharEmbedV3(
    width: int,
    attrs: List[str],
    rows: List[int],
    n_char_dims: int,
    n_chars: int,
    gazetteer: Optional[str] = None,
    n_gazetteer_dims: int = 16,
    name_dropout: float = 0.0,
) -> Model[List[Doc], List[Floats2d]]:
    """HashCharEmbed.v2 plus a proper-noun gazetteer feature (run R).

    Each token's class mask from Apertium's Norwegian dictionaries (place, first name,
    surname, organisation, other name; bot/nlp/gazetteer.py) is embedded in
    `n_gazetteer_dims` dimensions and mixed in with the hashed and character features.
    Unseen names ("Ullevål", "Kari Nordmann") then still tell the NER what kind of name
    they are: 71 % of the UD Bokmål test mentions that training never shows have a
    token in the gazetteer.
    """
    hashed = _hashed_features(width, attrs, rows, name_dropout)
    gaz = chain(
        GazetteerIds(gazetteer),
        with_array(Embed(n_gazetteer_dims, 1 << len(GAZETTEER_CLASSES), column=0)),
    )
    return _with_char_features(
        hashed, width, n_char_dims, n_chars, extra=gaz, n_extra=n_gazetteer_dims
    )
