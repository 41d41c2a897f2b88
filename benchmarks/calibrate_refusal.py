"""Calibrate when an answer says "the archive does not cover this": the archive-share threshold per language.

    python benchmarks/calibrate_refusal.py [INDEX_DIR]      (default: index corpus/ in a temp dir)

For the off-topic dev questions (../shared/eval/offtopic_dev.jsonl, which the reports in corpus/ do not
address) and the on-topic ones (the seed questions and our English wording of them), prints each
question's archive share (search_api/search/strength.py) and, per language, the threshold halfway
between the highest off-topic share and the lowest on-topic one, with the margin on each side.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from eval.datasets import load_span_queries
from eval.harness import index_or_corpus
from search_api.search.strength import archive_share, language_of

REPO = Path(__file__).resolve().parent.parent
OFF_TOPIC = REPO.parent / "shared" / "eval" / "offtopic_dev.jsonl"
ON_TOPIC = [REPO.parent / "shared" / "eval" / "seed_queries.jsonl",
            REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl"]


def main(index_dir: Path | None) -> None:
    with index_or_corpus(index_dir, REPO / "corpus") as index:
        off = [json.loads(line)["query"] for line in OFF_TOPIC.read_text(encoding="utf-8").splitlines() if line.strip()]
        on = [q.query for path in ON_TOPIC for q in load_span_queries(path)]
        shares = [(language_of(q), topic, archive_share(index, q), q) for topic, questions in (("off", off), ("on", on))
                  for q in questions]
        for language, topic, share, question in sorted(shares):
            print(f"{language} {topic:3} {share:.3f} {question}")
        for language in ("zh", "en"):
            highest_off = max(s for lang, t, s, _ in shares if lang == language and t == "off")
            lowest_on = min(s for lang, t, s, _ in shares if lang == language and t == "on")
            print(f"{language}: off-topic at most {highest_off:.3f}, on-topic at least {lowest_on:.3f}: "
                  f"threshold {(highest_off + lowest_on) / 2:.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
