"""The NLP throughput benchmark's parts (the benchmark itself runs in `make bench`)."""

from __future__ import annotations

from tests.bench import nlp_speed


def test_nlu_texts_are_plain_chat_messages(tmp_path):
    (tmp_path / "a.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: x\n  examples: |\n'
        "    - bor i [Tromsø](kommune) nå\n"
        '    - mamma på [Ullevål]{"entity": "sykehus"}\n'
        "    - hei\n",
        encoding="utf-8",
    )
    assert nlp_speed.nlu_texts(tmp_path) == ["bor i Tromsø nå", "mamma på Ullevål", "hei"]
    real = nlp_speed.nlu_texts()
    assert len(real) > 500 and not any("](" in t or "]{" in t for t in real)


def test_baseline_has_the_stock_architecture_and_our_labels():
    import spacy

    from bot.nlp.pipeline_code import encoders, standard_lemmas  # noqa: F401

    ours = spacy.load(nlp_speed.PIPELINE)
    texts = ["Mora mi bor i Bergen og har demens.", "Jeg snakket med Nav i Tromsø."]
    base = nlp_speed.baseline_pipeline(ours, texts)
    assert base.pipe_names == nlp_speed.COMPONENTS
    t2v = base.get_pipe("tok2vec").model
    assert t2v.get_dim("nO") == 96
    assert set(base.get_pipe("ner").labels) <= set(ours.get_pipe("ner").labels)
    result = nlp_speed.measure(ours, base, texts * 20, rounds=2)
    assert result["words_per_s"] > 0 and result["baseline_words_per_s"] > 0
    ratio = result["words_per_s"] / result["baseline_words_per_s"]
    assert abs(result["ratio"] - ratio) < 0.002  # medians rounded to whole words/s
