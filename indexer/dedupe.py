"""Near-duplicate reports (one report published on several sites) are indexed once.

MinHash over character 5-grams of the clean text with whitespace removed, so that different page
chrome and line breaks do not matter; LSH finds candidate pairs, and a pair is a duplicate when its
estimated Jaccard similarity reaches the threshold.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from indexer.derived_cache import DerivedCache
from indexer.records import Report

THRESHOLD = 0.8
_NUM_PERM = 128
_SHINGLE = 5
_WHITESPACE = re.compile(r"\s+")


def dedupe_reports(reports: Sequence[Report], threshold: float = THRESHOLD,
                   cache: DerivedCache | None = None) -> list[Report]:
    """Canonical reports, each listing the sources of its copies in ``also_published_at``; the
    signatures of texts seen before come from ``cache``.

    The canonical copy is the one the cleaner had least to remove from (the cleanest page), then
    the first by source path, so the choice is stable across runs.
    """
    texts = [report.text for report in reports]
    if cache is None:
        signatures = [_minhash(text) for text in texts]
    else:
        blank = MinHash(num_perm=_NUM_PERM)  # the scheme and dtype of this datasketch's signatures
        signatures = cache.map(
            f"minhash {blank.scheme} {_NUM_PERM} {_SHINGLE}", texts, _minhash, lambda s: s.hashvalues.tobytes(),
            lambda value: MinHash(num_perm=_NUM_PERM, scheme=blank.scheme,
                                  hashvalues=np.frombuffer(value, blank.hashvalues.dtype)))
    lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
    for i, signature in enumerate(signatures):
        lsh.insert(str(i), signature)
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, signature in enumerate(signatures):
        for key in lsh.query(signature):
            j = int(key)
            if j != i and signature.jaccard(signatures[j]) >= threshold:
                parent[root(j)] = root(i)
    clusters: dict[int, list[Report]] = {}
    for i, report in enumerate(reports):
        clusters.setdefault(root(i), []).append(report)
    canonical = []
    for members in clusters.values():
        members.sort(key=lambda r: (len(r.clean.removed), r.source))
        first, copies = members[0], members[1:]
        canonical.append(dataclasses.replace(first, also_published_at=tuple(r.source for r in copies)))
    return sorted(canonical, key=lambda r: r.source)


def _minhash(text: str) -> MinHash:
    compact = _WHITESPACE.sub("", text)
    shingles = {compact[i : i + _SHINGLE] for i in range(max(len(compact) - _SHINGLE + 1, 1))}
    signature = MinHash(num_perm=_NUM_PERM)
    signature.update_batch([s.encode("utf-8") for s in shingles])
    return signature
