"""Every verbatim occurrence of a phrase in the archive, tolerant to punctuation width and whitespace.

Both sides are normalised character by character (full-width to half-width, 、 and ， to ",", quotes,
brackets and dashes to one form each; whitespace dropped), and a position map leads each match back
to its span in the clean text, so "有件必备、有备必审" also finds "有件必备,有备必审".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from indexer.records import Report
from indexer.sentences import sentence_spans

_CLASSES = {
    ",": "，、,､﹐﹑", ".": "。．.｡", ";": "；;", ":": "：:", "!": "！!", "?": "？?", "(": "（(〔［[【", ")": "）)〕］]】",
    '"': "“”„‟\"＂「」『』", "'": "‘’'＇", "-": "—–－‐‑-―", "<": "《〈<", ">": "》〉>",
}
_FOLD = {char: canonical for canonical, chars in _CLASSES.items() for char in chars}


def fold_char(char: str) -> str:
    """The comparison form of one character ("" for whitespace)."""
    if char.isspace():
        return ""
    if char in _FOLD:
        return _FOLD[char]
    folded = unicodedata.normalize("NFKC", char)
    return folded.lower() if len(folded) == 1 else char


def fold(text: str) -> tuple[str, np.ndarray]:
    """The folded text and, for each of its characters, the offset in ``text`` it came from."""
    chars, positions = [], []
    for offset, char in enumerate(text):
        folded = fold_char(char)
        if folded:
            chars.append(folded)
            positions.append(offset)
    return "".join(chars), np.array(positions, dtype=np.int32)


@dataclass(frozen=True)
class Occurrence:
    report: Report
    start: int  # of the match, in the clean text
    end: int
    sentence_start: int
    sentence_end: int

    @property
    def sentence(self) -> str:
        return self.report.text[self.sentence_start : self.sentence_end]


class PhraseIndex:
    """Folded texts of all reports, built on first use."""

    def __init__(self, reports: list[Report]) -> None:
        self._folded = [(report, *fold(report.text)) for report in reports]

    def find(self, phrase: str, accepts=lambda report: True) -> list[Occurrence]:
        needle, _ = fold(phrase)
        if not needle:
            return []
        found = []
        for report, folded, positions in self._folded:
            if not accepts(report):
                continue
            at = folded.find(needle)
            while at >= 0:
                start, end = int(positions[at]), int(positions[at + len(needle) - 1]) + 1
                found.append(Occurrence(report, start, end, *_sentence_around(report.text, start, end)))
                at = folded.find(needle, at + 1)
        return found


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    spans = sentence_spans(text, line_start, line_end)
    first = next((s for s, e in spans if e > start), line_start)
    last = next((e for s, e in reversed(spans) if s < end), line_end)
    return first, last
