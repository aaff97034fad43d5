"""The CNN + BiLSTM encoder (bot/nlp/pipeline_code/encoders.py)."""

from __future__ import annotations

import numpy
import pytest

from bot.nlp.pipeline_code.encoders import CNNBiLSTMEncoder


@pytest.mark.parametrize("cnn_depth,lstm_depth", [(2, 1), (0, 2), (3, 0)])
def test_shapes_and_gradients(cnn_depth, lstm_depth):
    width = 16
    model = CNNBiLSTMEncoder(width, cnn_depth, 1, 3, lstm_depth)
    rng = numpy.random.default_rng(0)
    X = [rng.uniform(-1, 1, (n, width)).astype("f") for n in (7, 1, 4)]
    model.initialize(X=X)
    Y, backprop = model.begin_update(X)
    assert [y.shape for y in Y] == [x.shape for x in X]
    dX = backprop([numpy.ones_like(y) for y in Y])
    assert [d.shape for d in dX] == [x.shape for x in X]
    assert any(float(numpy.abs(d).sum()) > 0 for d in dX)


def test_lstm_sees_the_whole_sentence():
    """Changing the first token changes the output at the last one, beyond the CNN's
    receptive field (window 1 x depth 1 = 1 token)."""
    width = 8
    model = CNNBiLSTMEncoder(width, 1, 1, 3, 1)
    rng = numpy.random.default_rng(1)
    x = rng.uniform(-1, 1, (12, width)).astype("f")
    model.initialize(X=[x])
    y1 = model.predict([x])[0]
    x2 = x.copy()
    x2[0] += 1.0
    y2 = model.predict([x2])[0]
    assert not numpy.allclose(y1[-1], y2[-1])


def test_needs_a_layer():
    with pytest.raises(ValueError):
        CNNBiLSTMEncoder(8, 0, 1, 3, 0)
