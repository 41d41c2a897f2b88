"""Write eval results as a Markdown table, a JSON file and a PNG chart."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from eval.harness import ModeScores
from eval.metrics import NAMES

COLUMNS = tuple(NAMES.values())


def markdown_table(results: Sequence[ModeScores]) -> str:
    lines = ["| dataset | language | mode | queries | " + " | ".join(COLUMNS) + " |",
             "|---|---|---|---|" + "---|" * len(COLUMNS)]
    for r in results:
        lines.append(f"| {r.dataset} | {r.language} | {r.mode} | {r.queries} | "
                     + " | ".join(f"{r.scores[c]:.3f}" for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def write_results(out: Path, results: Sequence[ModeScores], name: str = "retrieval") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.md", out / f"{name}.json", out / f"{name}.png"]
    paths[0].write_text(markdown_table(results), encoding="utf-8")
    paths[1].write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2), encoding="utf-8")
    _chart(paths[2], results)
    return paths


def _chart(path: Path, results: Sequence[ModeScores]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = list(dict.fromkeys(_label(r) for r in results))
    modes = list(dict.fromkeys(r.mode for r in results))
    width = 0.8 / max(len(modes), 1)
    figure, axes = plt.subplots(figsize=(max(6, 1.6 * len(groups)), 4))
    for i, mode in enumerate(modes):
        values = [next((r.scores["nDCG@10"] for r in results if _label(r) == g and r.mode == mode), 0) for g in groups]
        axes.bar([x + i * width for x in range(len(groups))], values, width, label=mode)
    axes.set_xticks([x + width * (len(modes) - 1) / 2 for x in range(len(groups))], groups)
    axes.set_ylabel("nDCG@10")
    axes.set_ylim(0, 1)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _label(result: ModeScores) -> str:
    """Dataset and language, a long dataset name wrapped after its underscores so labels do not overlap."""
    lines = textwrap.wrap(result.dataset.replace("_", "_ "), 16)
    return "\n".join(line.replace("_ ", "_") for line in lines) + f"\n{result.language}"
