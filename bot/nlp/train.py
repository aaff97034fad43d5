"""Train the Norwegian chat pipeline: ``python -m bot.nlp.train``.

Stages (all by default):
  convert   NorNE (../shared/data/norne or $NORNE_DIR) -> var/nlp/{train,dev,test_*}.spacy
  train     spacy train bot/nlp/config.cfg (fixed seed) -> var/nlp/output/ (with
            --ner-config CFG, also a NER-only pipeline -> var/nlp/output/ner/)
  finalize  pick the lemmatizer (trainable vs. rule/lookup, chosen on the UD dev
            split), add the standard-aware lemma lookup, take the NER-only model's ner
            if it is better on dev, add the entity ruler (each choice on UD dev),
            strip the training-only callback from the config, write
            bot/nlp/pipeline/ with meta.json (name parorende, lang nb, scores).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Dict, Optional, Sequence

from bot.nlp import (
    augment,  # noqa: F401  (registers the mention-swap augmenter)
    chat_tokenizer,  # noqa: F401  (registers the tokenizer callback)
    corpus,
    entity_patterns,
    gazetteer,
)
from bot.nlp.pipeline_code import (
    encoders,  # noqa: F401  (registers parorende.* architectures)
    standard_lemmas,
)

NLP_DIR = Path(__file__).resolve().parent
CONFIG = NLP_DIR / "config.cfg"
PIPELINE_DIR = NLP_DIR / "pipeline"
OUTPUT_DIR = corpus.VAR_DIR / "output"
SEED = 4242
# epochs of `spacy pretrain` (cloze task on the training split) before training; 0: none
# (run L, 8 epochs, did not beat training from scratch on dev: bot/nlp/README.md)
PRETRAIN_EPOCHS = 0
# share of training sentences with entities given with swapped mentions (augment.py); 0: off
MENTION_SWAP = 0.0
VERSION = "1.3.1"  # the recipe reproduces the shipped pipeline, symbol ruler included


def _cmd(argv: Sequence[str]) -> str:
    return "python -m bot.nlp.train" + ("" if not argv else " " + " ".join(argv))


def stage_convert(out_dir: Path = corpus.VAR_DIR) -> Dict[str, int]:
    t0 = time.time()
    counts = corpus.convert(out_dir)
    print(f"[convert] {json.dumps(counts)} in {time.time() - t0:.0f}s", flush=True)
    return counts


def stage_train(
    seed: int = SEED,
    output: Path = OUTPUT_DIR,
    overrides: Optional[Dict] = None,
    config: Path = CONFIG,
    mention_swap: float = 0.0,
) -> float:
    from spacy.cli.train import train

    ov = {
        "paths.train": str(corpus.VAR_DIR / "train.spacy"),
        "paths.dev": str(corpus.VAR_DIR / "dev.spacy"),
        "system.seed": seed,
    }
    ov.update(overrides or {})
    if mention_swap > 0:
        config = _with_mention_swap(config, output, mention_swap)
    if ov.get("paths.init_tok2vec"):
        # spaCy loads init_tok2vec only when the config has a [pretraining] block
        # (Language.initialize); without it the pretrained weights are silently ignored.
        config = _with_pretraining_block(config, output)
    t0 = time.time()
    train(config, output, use_gpu=-1, overrides=ov)
    elapsed = time.time() - t0
    (output / "train_seconds.txt").write_text(f"{elapsed:.0f}\n")
    print(f"[train] done in {elapsed / 60:.1f} min", flush=True)
    return elapsed


def _with_mention_swap(config: Path, output: Path, level: float) -> Path:
    """`config` with the mention-swap augmenter (bot/nlp/augment.py) on the training
    corpus, at `level`; its mention bank is the training split itself."""
    from spacy.util import load_config

    cfg = load_config(config, interpolate=False)
    cfg["corpora"]["train"]["augmenter"] = {
        "@augmenters": "parorende.mention_swap.v1",
        "mentions_from": "${paths.train}",
        "level": level,
    }
    output.mkdir(parents=True, exist_ok=True)
    merged = output / "config_with_mention_swap.cfg"
    cfg.to_disk(merged, interpolate=False)
    return merged


def _pretraining_config(config: Path):
    import spacy
    from spacy.util import load_config

    defaults = load_config(Path(spacy.__file__).parent / "default_config_pretraining.cfg")
    return defaults.merge(load_config(config, interpolate=False))


def _with_pretraining_block(config: Path, output: Path) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    merged = output / "config_with_pretraining.cfg"
    _pretraining_config(config).to_disk(merged, interpolate=False)
    return merged


def stage_pretrain(output: Path, config: Path = CONFIG, epochs: int = 8, seed: int = SEED) -> Path:
    """`spacy pretrain` of the tok2vec on the training sentences' raw text (cloze task:
    predict the first/last 4 characters of masked words). Only the training split is used,
    so no dev or test text reaches the encoder. Returns the weights of the last epoch, to
    be passed as `--set paths.init_tok2vec=...` to the train stage."""
    import spacy
    import srsly
    from spacy.tokens import DocBin
    from spacy.training.pretrain import pretrain

    raw = corpus.VAR_DIR / "raw_train.jsonl"
    docs = DocBin().from_disk(corpus.VAR_DIR / "train.spacy").get_docs(spacy.blank("nb").vocab)
    srsly.write_jsonl(raw, ({"text": d.text} for d in docs))
    cfg = _pretraining_config(config)
    cfg["paths"]["raw_text"] = str(raw)
    cfg["paths"]["train"] = str(corpus.VAR_DIR / "train.spacy")
    cfg["paths"]["dev"] = str(corpus.VAR_DIR / "dev.spacy")
    cfg["system"]["seed"] = seed
    cfg["pretraining"]["max_epochs"] = epochs
    cfg = cfg.interpolate()
    output.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    pretrain(cfg, output, silent=False)
    print(f"[pretrain] {epochs} epochs in {(time.time() - t0) / 60:.1f} min", flush=True)
    return output / f"model{epochs - 1}.bin"


def _with_rule_lemmatizer(nlp):
    """Replace the trainable lemmatizer by spaCy's rule/lookup lemmatizer (nb tables)."""
    nlp.remove_pipe("trainable_lemmatizer")
    lem = nlp.add_pipe("lemmatizer", config={"mode": "rule"}, before="ner")
    lem.initialize()  # loads lemma_* tables from spacy-lookups-data
    return nlp


def _choice(what: str, metric: str, without: Dict, with_: Dict, kept: bool, **extra) -> Dict:
    """Print and record one finalize decision taken on the UD dev split."""
    print(
        f"[finalize] dev {metric} without {what}={without[metric]:.4f} "
        f"with={with_[metric]:.4f} -> {'keep' if kept else 'drop'}",
        flush=True,
    )
    return {
        "kept": kept,
        f"dev_{metric}_without": without[metric],
        f"dev_{metric}_with": with_[metric],
        **extra,
    }


def _strip_training_callbacks(nlp) -> None:
    """The chat tokenizer rules live in the serialised tokenizer; the shipped
    config must not reference code that is only importable from this repo."""
    cfg = nlp.config
    cfg["initialize"]["before_init"] = None
    cfg["initialize"]["after_init"] = None
    for key in ("train", "dev"):
        cfg["paths"][key] = None
        cfg["corpora"][key]["path"] = "${paths.%s}" % key
        cfg["corpora"][key]["augmenter"] = None  # training-only code (bot/nlp/augment.py)
    # a pretrained start (train stage with paths.init_tok2vec) only matters for training
    cfg["paths"]["init_tok2vec"] = None
    cfg.pop("pretraining", None)
    cfg["corpora"].pop("pretrain", None)
    cfg["paths"].pop("raw_text", None)
    # the gazetteer table (HashCharEmbed.v3) is stored in the weights; its source file
    # is only read when training starts
    if "gazetteer" in cfg["paths"]:
        cfg["paths"]["gazetteer"] = None


def stage_finalize(
    argv: Sequence[str],
    seed: int = SEED,
    output: Path = OUTPUT_DIR,
    dest: Path = PIPELINE_DIR,
    ner_source: Optional[Path] = None,
) -> Dict:
    import spacy

    from bot.nlp import evaluate

    best = output / "model-best"

    def load_best():
        # re-apply the chat tokenizer rules so the shipped tokenizer has the
        # current rules (tokenization does not affect the trained weights).
        # A parser trained as an auxiliary task (experiments/runF.cfg) only shaped
        # the shared tok2vec; it is not shipped.
        loaded = spacy.load(best)
        if "parser" in loaded.pipe_names:
            loaded.remove_pipe("parser")
        return chat_tokenizer.add_symbol_ruler(chat_tokenizer.customize_tokenizer(loaded))

    nlp = load_best()
    dev_path = corpus.VAR_DIR / "dev.spacy"

    # Lemmatizer choice on the UD dev split (never on test).
    dev_trainable = evaluate.score_docbin(nlp, dev_path)
    rule_nlp = _with_rule_lemmatizer(load_best())
    dev_rule = evaluate.score_docbin(rule_nlp, dev_path)
    choice = (
        "trainable_lemmatizer"
        if dev_trainable["lemma_acc"] >= dev_rule["lemma_acc"]
        else "lemmatizer (rule)"
    )
    print(
        f"[finalize] dev lemma_acc trainable={dev_trainable['lemma_acc']:.4f} "
        f"rule={dev_rule['lemma_acc']:.4f} -> {choice}",
        flush=True,
    )
    if choice != "trainable_lemmatizer":
        nlp = rule_nlp
    dev_base = dev_trainable if choice == "trainable_lemmatizer" else dev_rule

    # Standard-aware lemma lookup (pipeline_code/standard_lemmas.py), built from the
    # training sentences; kept only if it raises lemma_acc on the UD dev split.
    std_lemmas = None
    if choice == "trainable_lemmatizer":
        comp = nlp.add_pipe(standard_lemmas.FACTORY, after="trainable_lemmatizer")
        sizes = comp.build(
            (s.source.split("/")[0], s.words, s.lemmas, s.pos) for s in corpus.training_sentences()
        )
        dev_std = evaluate.score_docbin(nlp, dev_path)
        keep_std = dev_std["lemma_acc"] > dev_base["lemma_acc"]
        std_lemmas = _choice("standard lemmas", "lemma_acc", dev_base, dev_std, keep_std, **sizes)
        if keep_std:
            dev_base = dev_std
        else:
            nlp.remove_pipe(standard_lemmas.FACTORY)

    # NER from a separate NER-only run (--ner-source, e.g. experiments/runI.cfg: its own
    # encoder inside the component), kept if its dev ents_f beats the pipeline's own NER.
    ner_choice = None
    if ner_source is not None:
        ner_nlp = chat_tokenizer.customize_tokenizer(spacy.load(ner_source))
        dev_other = evaluate.score_docbin(ner_nlp, dev_path)
        use_other = dev_other["ents_f"] > dev_base["ents_f"]
        ner_choice = _choice(
            f"ner from {ner_source}",
            "ents_f",
            dev_base,
            dev_other,
            use_other,
            source=str(ner_source),
        )
        if use_other:
            nlp.remove_pipe("ner")
            nlp.add_pipe("ner", source=ner_nlp)
            dev_base = evaluate.score_docbin(nlp, dev_path)

    # Entity ruler for health/public-sector names: kept unless it costs > 0.002
    # ents_f on the UD dev split (it exists for chat text, not for news).
    entity_patterns.add_entity_ruler(nlp)
    dev_ruler = evaluate.score_docbin(nlp, dev_path)
    keep_ruler = dev_ruler["ents_f"] >= dev_base["ents_f"] - 0.002
    ruler_choice = _choice("entity_ruler", "ents_f", dev_base, dev_ruler, keep_ruler)
    if not keep_ruler:
        nlp.remove_pipe("entity_ruler")

    # a gazetteer table (HashCharEmbed.v3) lives in the weights: name its sources and
    # licences (written beside the table by bot/nlp/gazetteer.py) before the path is dropped
    gazetteer_table = nlp.config["paths"].get("gazetteer")
    gazetteer_sources = gazetteer.read_sources(Path(gazetteer_table)) if gazetteer_table else []
    _strip_training_callbacks(nlp)
    nlp.meta.update(
        {
            "name": "parorende",
            "lang": "nb",
            "version": VERSION,
            "spacy_version": ">=3.4.0,<3.5.0",
            "description": (
                "Norwegian (Bokmål + Nynorsk) pipeline for the pårørende chatbot: chat tokenizer, "
                "UPOS morphologizer, lemmatizer + standard-aware lemma lookup (Bokmål/Nynorsk "
                "detected per doc), NorNE NER (9 types) + entity ruler for "
                "health/public-sector names. Trained on NorNE/NDT minus "
                "every UD dev/test sentence."
            ),
            "author": "parorende bot project",
            "license": (
                "NorNE/NDT annotations: CC0 1.0 (see LICENSE_NDT.txt); the pipeline "
                "contains model weights and token strings, no texts"
            ),
            "sources": [
                {
                    "name": "NorNE (Norwegian Dependency Treebank with named entities)",
                    "url": "https://github.com/ltgoslo/norne",
                    "license": "CC0 1.0 (annotations; original texts not redistributable)",
                }
            ]
            + [dict(src, use="proper-noun gazetteer feature") for src in gazetteer_sources],
            "training": {
                "command": _cmd(argv),
                "seed": seed,
                "config": "bot/nlp/config.cfg",
                "data": (
                    "train: NorNE ndt/nob + ndt/nno with NDT tags mapped to UPOS "
                    "(bot/nlp/corpus.py), minus every sentence equal to / containing / "
                    "contained in "
                    "a UD dev or test sentence (both standards); dev: UD dev nob+nno; "
                    "test: UD test nob (main) and nno"
                ),
                "entity_ruler": ruler_choice,
                "dev_scores": dev_ruler if keep_ruler else dev_base,
                "standard_lemmas": std_lemmas,
                "ner_choice": ner_choice,
                "lemmatizer_choice": {
                    "chosen": choice,
                    "dev_lemma_acc_trainable": round(dev_trainable["lemma_acc"], 4),
                    "dev_lemma_acc_rule": round(dev_rule["lemma_acc"], 4),
                },
            },
        }
    )
    if dest.exists():
        shutil.rmtree(dest)
    nlp.to_disk(dest)

    scores = evaluate.evaluate(dest)
    meta_path = dest / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["performance"] = scores
    try:
        meta["training"]["train_seconds"] = int(float((output / "train_seconds.txt").read_text()))
    except (OSError, ValueError):
        pass
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(scores, ensure_ascii=False), flush=True)
    return scores


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--stage", choices=["all", "convert", "pretrain", "train", "finalize"], default="all"
    )
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument(
        "--output", type=Path, default=OUTPUT_DIR, help="spaCy training output directory"
    )
    ap.add_argument(
        "--config", type=Path, default=CONFIG, help="spaCy training config (ablation runs)"
    )
    ap.add_argument(
        "--ner-config",
        type=Path,
        default=None,
        help="also train this NER-only config into OUTPUT/ner (e.g. experiments/runI.cfg)",
    )
    ap.add_argument(
        "--pretrain-epochs",
        type=int,
        default=PRETRAIN_EPOCHS,
        help="epochs of `spacy pretrain` before training (stages all and pretrain; 0: none)",
    )
    ap.add_argument(
        "--mention-swap",
        type=float,
        default=MENTION_SWAP,
        metavar="LEVEL",
        help="train: share of training sentences with entities whose mentions are swapped "
        "for other training mentions of the same label (bot/nlp/augment.py; 0: off)",
    )
    ap.add_argument(
        "--dest", type=Path, default=PIPELINE_DIR, help="where the final pipeline is written"
    )
    ap.add_argument(
        "--ner-source",
        type=Path,
        default=None,
        help="finalize: a pipeline whose self-contained ner may replace the trained one",
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra spaCy config override, e.g. training.max_epochs=2 (JSON value if possible)",
    )
    args = ap.parse_args(argv)
    if args.stage == "pretrain" and args.pretrain_epochs <= 0:
        ap.error("--stage pretrain needs --pretrain-epochs N (N > 0)")
    if not corpus.norne_available():
        print(f"NorNE not found at {corpus.norne_dir()} (set NORNE_DIR). Nothing to do.")
        return 0
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    if args.stage in ("all", "convert"):
        stage_convert()
    if args.stage == "pretrain" or (args.stage == "all" and args.pretrain_epochs > 0):
        weights = stage_pretrain(
            args.output / "pretrain", args.config, args.pretrain_epochs, args.seed
        )
        if args.stage == "pretrain":
            return 0
        overrides.setdefault("paths.init_tok2vec", str(weights))
    if args.stage in ("all", "train"):
        stage_train(args.seed, args.output, overrides, args.config, args.mention_swap)
        if args.ner_config is not None:
            generic = ("paths", "system", "training")
            shared = {k: v for k, v in overrides.items() if k.split(".")[0] in generic}
            stage_train(args.seed, args.output / "ner", shared, args.ner_config)
    ner_source = args.ner_source
    if ner_source is None and (args.output / "ner" / "model-best").is_dir():
        ner_source = args.output / "ner" / "model-best"
    if args.stage in ("all", "finalize"):
        stage_finalize(argv, args.seed, args.output, args.dest, ner_source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
