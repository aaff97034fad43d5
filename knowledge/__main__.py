"""CLI: python -m knowledge validate | load | search "<text>" | report | sync-services |
nlu-export"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("validate", help="schema + editorial checks; exit 1 on errors")
    lp = sub.add_parser("load", help="load YAML into the database (KB_URL or --url)")
    lp.add_argument("--url")
    lp.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    sp = sub.add_parser("search", help="full-text search")
    sp.add_argument("text")
    sp.add_argument("--topic")
    sp.add_argument("--limit", type=int, default=3)
    sp.add_argument("--url")
    rp = sub.add_parser("report", help="counts per topic/audience, mean LIX, due for review")
    rp.add_argument("--json", action="store_true")
    sub.add_parser(
        "sync-services", help="write knowledge/services/services.yaml from ../shared/facts"
    )
    sub.add_parser(
        "nlu-export", help="write data/nlu/from_articles.yml from the articles' questions"
    )
    args = p.parse_args(argv)

    if args.cmd == "nlu-export":
        from .nlu_export import OUT_FILE, export

        n = export()
        print(f"wrote {n} examples to {OUT_FILE}")
        return 0

    if args.cmd == "validate":
        from .editorial import run_all

        articles, problems = run_all()
        for pr in problems:
            print(pr)
        errors = sum(1 for pr in problems if pr.level == "error")
        warnings = sum(1 for pr in problems if pr.level == "warning")
        print(f"{len(articles)} articles: {errors} error(s), {warnings} warning(s)")
        return 1 if errors else 0

    if args.cmd == "load":
        from .loader import ContentError, load

        try:
            res = load(args.url, force=args.force)
        except ContentError as exc:
            print(exc, file=sys.stderr)
            return 1
        if res.changed:
            n, origin = res.services, res.services_from
            print(f"loaded: {res.articles} articles, {n} services (from {origin})")
        else:
            print(f"unchanged (fingerprint {res.fingerprint[:12]}): nothing to do")
        return 0

    if args.cmd == "search":
        from .repository import KnowledgeRepository

        repo = KnowledgeRepository.from_url(args.url)
        for h in repo.search(args.text, topic=args.topic, limit=args.limit):
            print(f"{h.score:8.3f}  {h.topic:16s} {h.article_id:34s} {h.title}")
        return 0

    if args.cmd == "report":
        from .editorial import load_articles, report

        articles, problems = load_articles()
        for pr in problems:
            print(pr, file=sys.stderr)
        rep = report(articles)
        if args.json:
            print(json.dumps(rep, ensure_ascii=False, indent=2))
            return 1 if problems else 0
        print(f"{'topic':18s} {'articles':>8s} {'young':>6s}")
        for topic, c in rep["per_topic"].items():
            print(f"{topic:18s} {c['articles']:8d} {c['young']:6d}")
        print(f"{'total':18s} {rep['audience']['adult']:8d} {rep['audience']['young']:6d}")
        print(
            f"mean LIX: adult (body) {rep['mean_lix']['adult']}, young {rep['mean_lix']['young']}"
        )
        due = rep["due_for_review"]
        print("due for review: " + (", ".join(f"{i} ({d})" for i, d in due) if due else "none"))
        return 1 if problems else 0

    if args.cmd == "sync-services":
        from . import facts
        from .services import write_snapshot

        if not facts.facts_available():
            print("../shared/facts not found (set FACTS_DIR)", file=sys.stderr)
            return 1
        path = write_snapshot()
        print(f"wrote {path}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
