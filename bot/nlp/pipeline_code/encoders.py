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

from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.util import registry
from thinc.api import LSTM, Model, chain, residual, with_padded
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
