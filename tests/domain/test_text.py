from desktop.domain.text import VAGUE_PHRASES, clean_line, clean_text, find_vague_phrases, is_blank


def test_none_and_plain():
    assert clean_text(None) == ""
    assert clean_text("支部党员大会") == "支部党员大会"


def test_nul_dropped():
    assert clean_text("张\x00三") == "张三"


def test_vertical_tab_and_form_feed_become_newlines():
    assert clean_text("第一行\x0b第二行\x0c第三行") == "第一行\n第二行\n第三行"


def test_line_endings_normalised():
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean_text("a\u2028b\u2029c\x85d") == "a\nb\nc\nd"


def test_tab_kept_controls_dropped():
    assert clean_text("a\tb\x01\x1b\x7f\x80\x9fc") == "a\tbc"


def test_lone_surrogate_and_nonchars_dropped():
    assert clean_text("党\ud800员\udfff") == "党员"
    assert clean_text("x\ufffey\uffff") == "xy"


def test_surrogate_pair_joined():
    assert clean_text("\ud842\udfb7") == "𠮷"


def test_emoji_and_astral_kept():
    s = "👍🏻 👨‍👩‍👧 ❤️ 𠮷野家"
    assert clean_text(s) == s


def test_trailing_whitespace_stripped_inner_and_leading_kept():
    assert clean_text("\u3000\u3000会议指出  要求 \n\n  \t") == "\u3000\u3000会议指出  要求"


def test_single_line():
    assert clean_text("  县自然资源局\r\n  三楼会议室 \n", multiline=False) == "县自然资源局 三楼会议室"
    assert clean_line("a\x0bb") == "a b"


def test_long_text_kept():
    s = "学" * 100_000
    assert clean_text(s) == s


def test_is_blank():
    assert is_blank(" \x00\n\u3000")
    assert not is_blank("。")


def test_vague_phrases_found_longest_first():
    text = "会上大家一致认为要加强学习，与会人员一致认为应当整改。大家一致认为……"
    assert find_vague_phrases(text) == ["大家一致认为", "与会人员一致认为"]


def test_vague_phrases_none():
    assert find_vague_phrases("张三发言：要加强理论学习。李四表示赞同。") == []
    assert find_vague_phrases(None) == []


def test_required_phrases_listed():
    for p in (
        "大家一致认为",
        "大家一致同意",
        "与会人员一致认为",
        "大家纷纷表示",
        "全体党员一致认为",
        "一致表示",
        "大家表示",
    ):
        assert p in VAGUE_PHRASES
        assert find_vague_phrases(f"会上{p}，好。") == [p]
