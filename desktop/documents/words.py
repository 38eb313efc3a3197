"""Where a Chinese title may break: a small lexicon of the words on a branch's documents and a
few rules, enough that 「社会主义」, 「党支部」 or 「委员会」 never break inside, and that a line
preferably ends after a unit word (局、委员会、党支部 …). No segmenter dependency: the titles are
built from a known vocabulary (unit names, record kinds, campaign names)."""

from __future__ import annotations

import re

# Words never broken inside. Longer entries win over their parts (greedy longest match).
LEXICON = frozenset("""
中国共产党 共产党 中共 中国特色社会主义 社会主义 共产主义 马克思主义 毛泽东思想 邓小平理论 习近平 新时代 中国特色
思想 主题教育 学习贯彻 贯彻落实 检视问题 整改清单 整改 清单 不忘初心 牢记使命 党纪学习教育 党史学习教育 学习教育
机关委员会 委员会 机关党委 党委 党总支 党支部 支部 党小组 党员大会 支部党员大会 支部委员会 组织生活会 民主评议
民主评议党员 主题党日 三会一课 台账 会议记录 活动记录 党课记录 签到表 自然资源 自然资源和规划 规划 分局 开发区
经济技术开发区 高新技术产业开发区 服务中心 中心 政治生日 贺卡 名册 党员名册 统计表 落实情况 记录 领导小组 办公室
人民政府 党员 预备党员 正式党员 第一 第二 第三 第四 第五 第六 第七 第八 第九 第十 金华 金华市 浙江省
机关 事务 管理局 规划局 资源局 党工委 管委会 不动产 登记 确权 执法 大队 监察 测绘 地理信息 国土 空间
""".split())
_MAX = max(len(w) for w in LEXICON)
# a line ends well after these words (a unit, a period) …
GOOD_END = ("局", "委员会", "党委", "党支部", "总支", "党小组", "中心", "区", "市", "县", "省", "年度", "年", "次", "会",
            "处", "科", "室", "队", "所", "站", "院")
_CLOSE = "，。、；：！？）》」』】〕…—”’·"
_OPEN = "（《「『【〔“‘"
_NUMBER = re.compile(r"\d+|[A-Za-z]+")


def tokens(text: str) -> list[str]:
    """``text`` cut into lexicon words, digit/Latin runs and single characters."""
    out, i = [], 0
    while i < len(text):
        m = _NUMBER.match(text, i)
        if m:
            out.append(m.group())
            i = m.end()
            continue
        for n in range(min(_MAX, len(text) - i), 1, -1):
            if text[i:i + n] in LEXICON:
                out.append(text[i:i + n])
                i += n
                break
        else:
            out.append(text[i])
            i += 1
    return out


def break_costs(text: str) -> dict[int, float]:
    """Allowed break positions (a line may start at ``text[i]``) with a cost: 0 after a unit
    word or punctuation, 1 between two words, 3 between two characters of unknown words.
    Inside a word, before closing or after opening punctuation: not allowed (absent)."""
    toks = tokens(text)
    costs: dict[int, float] = {}
    pos = 0
    for k, tok in enumerate(toks[:-1]):
        pos += len(tok)
        nxt = toks[k + 1]
        if nxt[0] in _CLOSE or tok[-1] in _OPEN:
            continue
        if tok[-1] in _CLOSE or tok.endswith(GOOD_END):
            cost = 0.0
        elif len(tok) > 1 or len(nxt) > 1:
            cost = 1.0
        else:
            cost = 3.0
        if (tok.isdigit() and nxt in ("年", "月", "日", "次")) or tok in ("第",):
            continue  # 「2026/年」, 「第/3次」
        costs[pos] = cost
    return costs
