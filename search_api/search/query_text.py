"""What counts as an empty query, defined once for the library and the API schema.

Python's ``str.strip`` also strips the ASCII information separators (U+001C-U+001F), which the regex
engines behind JSON Schema (pydantic's, ECMAScript's) do not count as space; a query of "\\x1e" was
then valid by the API's schema and refused as empty by the library. Both now use the Unicode
White_Space characters below.
"""

from __future__ import annotations

WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
             "\u2028\u2029\u202f\u205f\u3000"
# For the API schema: a query must hold one character that is not white space (an unanchored search).
NON_BLANK_PATTERN = r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def strip_query(text: str) -> str:
    return text.strip(WHITESPACE)
