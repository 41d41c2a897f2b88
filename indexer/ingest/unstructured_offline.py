"""Make ``unstructured`` work with no network, and fast.

Its text classifiers (is this element a title, narrative text?) load spaCy's ``en_core_web_sm`` and,
when it is missing, download it from the internet at run time, which fails offline and on air-gapped
sites. They use the model for sentence boundaries and English part-of-speech tags, which mean little
for Chinese text and cost 60 % of the time of parsing a page. We give them a blank spaCy pipeline with
a rule-based sentencizer instead: nothing to download, and the downloader is replaced with one that
fails loudly. Measured on the 100 pages of ../shared/data/daniel_zh_dev and 12 provincial DOCX reports:
no element changes between Title and the other kinds (556 of 16,609 HTML elements move from
NarrativeText to UncategorizedText, which the cleaner treats alike), the clean text of every file is
identical, and the cleaning eval's F1 is unchanged (benchmarks/results/cleaning_speed.txt).
"""

from __future__ import annotations

import os

_configured = False


def configure_unstructured() -> None:
    global _configured
    if _configured:
        return
    # unstructured pings a telemetry endpoint on import unless told not to.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("SCARF_NO_ANALYTICS", "true")
    os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
    from unstructured.nlp import tokenize

    tokenize._load_spacy_model = _sentencizer
    tokenize._install_spacy_model = _refuse_download
    tokenize._get_nlp.cache_clear()
    _configured = True


def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _refuse_download() -> None:
    raise RuntimeError("unstructured tried to download a spaCy model; nothing is downloaded at run time")
