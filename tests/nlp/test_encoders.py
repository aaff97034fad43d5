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


def _hashchar(width=16, rows=(50, 20, 20, 20)):
    from bot.nlp.pipeline_code.encoders import HashCharEmbed

    return HashCharEmbed(width, ["NORM", "PREFIX", "SUFFIX", "SHAPE"], list(rows), 4, 6)


def test_hash_char_embed_shapes_and_char_gradient():
    import spacy

    nlp = spacy.blank("nb")
    docs = [nlp("Siden 1994 har Bertelsen bestemt."), nlp("hei 🙂")]
    model = _hashchar()
    model.initialize(X=docs)
    Y, backprop = model.begin_update(docs)
    assert [y.shape for y in Y] == [(len(d), 16) for d in docs]
    backprop([numpy.ones_like(y) for y in Y])
    char_layer = next(n for n in model.walk() if n.name == "charembed")
    assert float(numpy.abs(char_layer.get_grad("E")).sum()) > 0


def test_hash_char_embed_sees_what_hashes_do_not():
    """With one row per hash table every word gets the same hashed vector, so only the
    character bytes can tell two words apart; with the character table zeroed (spaCy's
    initial state: it is learnt from zero) they can't."""
    import spacy

    nlp = spacy.blank("nb")
    model = _hashchar(rows=(1, 1, 1, 1))
    a, b = nlp("Fardal"), nlp("Svindal")
    model.initialize(X=[a, b])
    char_layer = next(n for n in model.walk() if n.name == "charembed")
    E = char_layer.get_param("E")
    rng = numpy.random.default_rng(2)
    char_layer.set_param("E", rng.uniform(-1, 1, E.shape).astype("f"))
    assert not numpy.allclose(model.predict([a])[0], model.predict([b])[0])
    char_layer.set_param("E", numpy.zeros_like(E))
    assert numpy.allclose(model.predict([a])[0], model.predict([b])[0])


def test_name_dropout_hides_only_capitalised_norms_and_only_in_training():
    import spacy
    from spacy.ml.featureextractor import FeatureExtractor

    from bot.nlp.pipeline_code.encoders import NameDropoutFeatures

    nlp = spacy.blank("nb")
    docs = [nlp("Kari bor i Tromsø og jobber på UNN ."), nlp("hei")]
    attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
    plain = FeatureExtractor(attrs).predict(docs)
    layer = NameDropoutFeatures(attrs, 1.0)
    assert all((a == b).all() for a, b in zip(layer.predict(docs), plain))
    numpy.random.seed(0)
    trained, _ = layer(docs, is_train=True)
    title = [t.text[:1].isupper() for t in docs[0]]
    changed = trained[0][:, 0] != plain[0][:, 0]
    assert changed.tolist() == title  # every capitalised NORM hidden at p = 1
    assert len(set(trained[0][changed, 0].tolist())) == 1  # by one shared placeholder
    assert (trained[0][:, 1:] == plain[0][:, 1:]).all()  # prefix/suffix/shape kept
    assert (trained[1] == plain[1]).all()
    half = NameDropoutFeatures(attrs, 0.5)
    numpy.random.seed(1)
    hidden = sum(
        int((half(docs, is_train=True)[0][0][:, 0] != plain[0][:, 0]).sum()) for _ in range(200)
    )
    assert 0.4 < hidden / (200 * sum(title)) < 0.6


def test_hash_char_embed_v2_trains_with_name_dropout():
    import spacy

    from bot.nlp.pipeline_code.encoders import HashCharEmbedV2

    nlp = spacy.blank("nb")
    docs = [nlp("Siden 1994 har Bertelsen bestemt."), nlp("hei 🙂")]
    model = HashCharEmbedV2(16, ["NORM", "PREFIX", "SUFFIX", "SHAPE"], [50, 20, 20, 20], 4, 6, 0.5)
    model.initialize(X=docs)
    Y, backprop = model.begin_update(docs)
    assert [y.shape for y in Y] == [(len(d), 16) for d in docs]
    backprop([numpy.ones_like(y) for y in Y])
    assert numpy.allclose(model.predict(docs)[0], model.predict(docs)[0])


def _gazetteer_file(tmp_path, forms):
    from bot.nlp import gazetteer

    keys, values = gazetteer.to_arrays(forms)
    path = tmp_path / "gaz.npz"
    numpy.savez_compressed(path, keys=keys, values=values)
    return path


def test_gazetteer_ids_read_the_table_and_survive_serialisation(tmp_path):
    """Masks are looked up by the lower-cased form (chat text writes "oslo"); the table is
    saved inside the model, so a model loaded from bytes needs no gazetteer file."""
    import spacy

    from bot.nlp.pipeline_code.encoders import GazetteerIds

    path = _gazetteer_file(tmp_path, {"oslo": 0b00001, "kari": 0b00010, "berg": 0b00101})
    nlp = spacy.blank("nb")
    doc = nlp("Kari bor i oslo , ikke i Berg")
    model = GazetteerIds(str(path))
    model.initialize(X=[doc])
    ids = model.predict([doc])[0][:, 0].tolist()
    assert ids == [2, 0, 0, 1, 0, 0, 0, 5]

    fresh = GazetteerIds(None)
    fresh.initialize(X=[doc])
    assert fresh.predict([doc])[0].sum() == 0  # no table: every token 0
    fresh.from_bytes(model.to_bytes())
    assert fresh.predict([doc])[0][:, 0].tolist() == ids


def test_hash_char_embed_v3_uses_the_gazetteer(tmp_path):
    """The same word gets a different vector once the gazetteer lists it."""
    import spacy

    from bot.nlp.pipeline_code.encoders import HashCharEmbedV3

    path = _gazetteer_file(tmp_path, {"ullevål": 0b00001})
    nlp = spacy.blank("nb")
    docs = [nlp("Hun ligger på Ullevål nå")]
    args = (16, ["NORM", "PREFIX", "SUFFIX", "SHAPE"], [50, 20, 20, 20], 4, 6)
    with_gaz = HashCharEmbedV3(*args, gazetteer=str(path), n_gazetteer_dims=4)
    with_gaz.initialize(X=docs)
    without = HashCharEmbedV3(*args, gazetteer=None, n_gazetteer_dims=4)
    without.initialize(X=docs)
    without.from_bytes(with_gaz.to_bytes())  # same weights, but the table comes along
    assert numpy.allclose(with_gaz.predict(docs)[0], without.predict(docs)[0])
    emptied = HashCharEmbedV3(*args, gazetteer=None, n_gazetteer_dims=4)
    emptied.initialize(X=docs)
    params = with_gaz.to_bytes()
    emptied.from_bytes(params)
    gaz_node = [n for n in emptied.walk() if n.name == "gazetteer_ids"][0]
    gaz_node.attrs["keys"] = numpy.zeros((0,), dtype=numpy.uint64)
    gaz_node.attrs["values"] = numpy.zeros((0,), dtype=numpy.uint8)
    a, b = with_gaz.predict(docs)[0], emptied.predict(docs)[0]
    assert not numpy.allclose(a[3], b[3])  # "Ullevål" changes
    assert numpy.allclose(a[0], b[0])  # "Hun" does not
    Y, backprop = with_gaz.begin_update(docs)
    backprop([numpy.ones_like(y) for y in Y])
