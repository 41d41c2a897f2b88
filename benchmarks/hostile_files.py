"""Hostile files beside corpus/: the outcome of each, the time of the run and its peak memory.

    python benchmarks/hostile_files.py [--model fake|default]

Writes the files of tests/hostile.py (a 100 MB zip bomb renamed .docx, a PDF of random bytes, a 60 MB
text file, an HTML page with 5 MB of script, a symbolic-link loop, a file name with a newline) next to
a copy of corpus/, indexes the folder in a child process and prints each file's
outcome, the time, and the peak resident memory of the run (the indexer and its parser process).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("hostile", REPO / "tests" / "hostile.py")
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

_CHILD = """
import json, sys
from pathlib import Path
from indexer.embedding import create_embedder
from indexer.pipeline import build_index
summary = build_index([Path(sys.argv[1])], Path(sys.argv[2]), create_embedder(sys.argv[3] or None))
print(json.dumps(summary.to_dict(), ensure_ascii=False))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fake")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "archive"
        shutil.copytree(REPO / "corpus", folder)
        expected = hostile.write_hostile_files(folder)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(Path(work) / "index"),
                              "" if args.model == "default" else args.model], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if run.returncode:
            sys.exit(run.stderr)
        summary = json.loads(run.stdout.strip().splitlines()[-1])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    reasons = {failure["source"]: failure["reason"] for failure in summary["failed"]}
    for name, outcome in expected.items():
        got = "indexed" if name in summary["new"] else reasons.get(name, "missing")
        print(f"{name!r:32} expected {outcome!r:20} got: {got}")
    print(f"reports indexed {summary['reports']} (5 seed reports + 2 hostile files that are reports); "
          f"{seconds:.1f} s; peak RSS of the largest process {peak / 1e6:.0f} MB, "
          f"of the parser process {summary['parser_peak_rss_bytes'] / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
