"""Questions in traditional characters over reports in simplified ones: 行政復議 for 行政复议.

The keyword index and the glosses hold the reports' own characters, so a traditional question found
nothing and was answered "not covered". OpenCC's phrase tables convert it (乾隆 stays 乾隆, 頭髮乾了
becomes 头发干了). The other way is left alone: one simplified character stands for several traditional
ones (复: 復, 複, 覆), so a simplified question cannot be put in a traditional archive's characters by a
table alone.
"""

from __future__ import annotations

from functools import lru_cache

from search_api.search.strength import keyword_share


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s.json")


def in_archive_script(index, question: str) -> str:
    """The question in simplified characters, when the archive holds more of its words so (an archive
    of traditional reports keeps a traditional question as it is)."""
    converted = _to_simplified().convert(question)
    if converted != question and keyword_share(index, converted) > keyword_share(index, question):
        return converted
    return question
