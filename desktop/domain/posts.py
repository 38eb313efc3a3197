"""党内职务: the posts a member holds are dated post holdings (组织 › 任职); this module names them
for display and reads the free text older files and rosters carry (「支部书记、党小组组长」)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .enums import CommitteePost

# how a post reads on the member form, the list and the roster
POST_TITLES: dict[str, str] = {
    CommitteePost.SECRETARY: "支部书记",
    CommitteePost.DEPUTY_SECRETARY: "支部副书记",
}
_ORDER = {p.value: i for i, p in enumerate(CommitteePost)}
_SPLIT = re.compile(r"[、，,;；/\s]+")
_PREFIXES = ("中共", "党支部", "支部", "党总支", "总支")
_LEADER = {"党小组组长", "党小组长", "小组组长", "小组长", "组长"}


def post_title(post: str) -> str:
    return POST_TITLES.get(post, post)


def posts_label(posts: Iterable[str]) -> str:
    """「支部书记、党小组组长」 for the posts held, in committee order, each once."""
    unique = sorted(set(posts), key=lambda p: _ORDER.get(p, 99))
    return "、".join(post_title(p) for p in unique)


def read_post_text(text: str) -> tuple[list[CommitteePost], list[str]]:
    """The committee posts named in free text (「支部书记、组织委员」) and the parts that name none
    (「支部委员」, 「组织委员（办公室）」), which callers keep elsewhere so nothing typed is lost."""
    posts: list[CommitteePost] = []
    rest: list[str] = []
    for token in (t for t in _SPLIT.split(text or "") if t):
        word = token
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix):
                word = word[len(prefix):]
                break
        if word in _LEADER:
            post: CommitteePost | None = CommitteePost.GROUP_LEADER
        else:
            post = next((p for p in CommitteePost if p.value == word), None)
        if post is None:
            rest.append(token)
        elif post not in posts:
            posts.append(post)
    return posts, rest
