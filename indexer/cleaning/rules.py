"""What a line of page chrome looks like, judged from the line alone.

Each rule returns a short reason, so ``reports clean`` can show why a line went. The rules only fire
on whole lines that look like chrome; body text rarely is a line on its own like "关闭窗口".
"""

from __future__ import annotations

import re

_SENTENCE_PUNCTUATION = re.compile(r"[。！？；，、,;!?：:“”\"]")
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        ("breadcrumb", r"^(当前位置|您的位置|你的位置|您现在的位置|现在位置|所在位置|位置)\s*[:：]"),
        ("breadcrumb", r"^首页\s*(>|>>|»|›|＞|/)"),
        ("font size control", r"^[\[【(（]?\s*字号\s*[:：]?"),
        ("page tool", r"^[\[【]?\s*(打印|打印本页|打印此页|关闭|关闭窗口|关闭本页|返回顶部|收藏|纠错)\s*[\]】]?$"),
        ("page tool", r"^([\[【]\s*(打印|关闭|关闭窗口|返回|收藏|纠错|大|中|小)\s*[\]】]\s*)+$"),
        ("share bar", r"^(分享到\s*[:：]?|.*(腾讯微博|新浪微博|QQ空间|人人网|微信好友|朋友圈).*(微博|空间|微信|网|圈))"),
        ("site links", r"(RSS订阅|网站地图|设为首页|加入收藏|联系我们|English\s*\|)"),
        ("visitor counter", r"(本站第|您是第|访客|访问量|访问人数|浏览次数|点击数|点击量|阅读次数)\s*[:：]?\s*\d+|\d+\s*位访客"),
        ("ICP/备案 number", r"(ICP|公网安备|备案号|备\s*\d{5,}\s*号|\d{6,}\s*号\s*-\s*\d)"),
        ("site operator", r"^(主办|承办|协办|技术支持|主管|维护|运维|网站标识码|网站标识)(单位)?\s*[:：]"),
        ("copyright", r"(版权所有|copyright|©|\(c\)\s*\d{4}|All Rights Reserved)"),
        ("mobile link", r"(扫一扫|手机版|移动版|在手机打开|手机打开当前页)"),
        ("previous/next link", r"^(上一篇|下一篇|上一条|下一条)\s*[:：]"),
    )
)
# Chrome lines are short; a long line matching a pattern is body text that mentions it.
_MAX_PATTERN_LINE = 120
_MENU_MIN_ITEMS = 4
_MENU_MAX_ITEM = 8


def chrome_pattern(line: str) -> str | None:
    """The reason a line is chrome by a known pattern, or None."""
    if len(line) > _MAX_PATTERN_LINE:
        return None
    if not re.search(r"[\w\u4e00-\u9fff]", line):
        return "separator"
    for reason, pattern in _PATTERNS:
        if pattern.search(line):
            return reason
    return None


def looks_like_menu(line: str) -> bool:
    """Several short items side by side and no sentence punctuation: "首页  领导信息  政务公开 …"."""
    if _SENTENCE_PUNCTUATION.search(line):
        return False
    items = [item for item in re.split(r"[\s|｜/·•]+", line) if item]
    return len(items) >= _MENU_MIN_ITEMS and max(len(item) for item in items) <= _MENU_MAX_ITEM


def is_body_line(line: str) -> bool:
    """A line of running prose: long and punctuated like a sentence."""
    return len(line) >= 30 and len(_SENTENCE_PUNCTUATION.findall(line)) >= 2


def link_share(line_length: int, link_chars: int) -> float:
    return link_chars / line_length if line_length else 0.0
