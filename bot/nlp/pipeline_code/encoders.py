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

from typing import List

from spacy.ml._character_embed import CharacterEmbed as CharEmbed
from spacy.ml.models.tok2vec import MaxoutWindowEncoder, MultiHashEmbed
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LSTM, Maxout, Model, chain, concatenate, residual, with_array, with_padded
from thinc.types import Floats2d


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
    chars = chain(
        CharEmbed(nM=n_char_dims, nC=n_chars),
        with_array(Maxout(width, n_char_dims * n_chars, nP=3, normalize=True)),
    )
    model = chain(
        concatenate(hashed, chars),
        with_array(Maxout(width, 2 * width, nP=3, normalize=True, dropout=0.0)),
    )
    model.set_dim("nO", width)
    return model
