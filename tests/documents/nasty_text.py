"""Hypothesis strategies for text that has broken exports: markup and entities, control
characters, lone surrogates, emoji, rare CJK, very long runs and punctuation runs."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = [
    "<b>", "</b>", "<img src=x>", "<br/>", "<font name=x>", "<para>", "]]>", "<![CDATA[", "-->",
    "&amp;", "&lt;", "&#x41;", "&#65;", "&nbsp;", "&", "<", ">", '"', "'", "\\", "{姓名}", "{0}", "%s", "$$",
    "\x00", "\x07", "\x0b", "\x0c", "\r", "\r\n", "\n", "\t", "\x1b", "\x7f", "\x85", "\u2028", "\u2029",
    "\ud800", "\udfff", "\ud83d\ude00", "\ufffe", "\ufeff", "\u200b", "\u200d",
    "😀", "👨‍👩‍👧", "❤️", "🇨🇳", "𠮷", "𪚥", "𡈽", "龘", "〇", "乄",
    "　", "，", "。", "、", "；", "：", "？", "！", "……", "——", "（", "）", "《", "》", "「", "」", "“", "”", "·", "%",
    "党支部", "学习贯彻", "R&D", "A&B", "C++", "3.14",
]
PUNCT = "，。、；：？！…—（）《》「」“”·,.;:?!()[]<>&%"

_chars = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3000, max_codepoint=0x303F),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
)


def _run(max_run: int):
    return st.builds(lambda c, n: c * n, st.sampled_from(["党", "a", "，", "。", "<", "&", "😀", "𠮷", "—", " "]),
                     st.integers(2, max_run))


def nasty_text(max_parts: int = 12, max_run: int = 600):
    """Concatenations of the pieces above, ordinary characters, long runs of one character and
    punctuation runs."""
    part = st.one_of(st.sampled_from(PIECES), st.text(_chars, min_size=1, max_size=30), _run(max_run),
                     st.text(st.sampled_from(PUNCT), min_size=2, max_size=12))
    return st.lists(part, min_size=1, max_size=max_parts).map("".join)
