"""Meeting search on the 100,000-meeting stress ledger: the bigram FTS5 index vs brute-force LIKE.

Usage: ``python -m benchmarks.bench_search [FILE] [--runs N]``. Without FILE (or when FILE does not
exist) the stress ledger is generated first (benchmarks/generate.py). Prints a Markdown table:
per word, the number of matching meetings, the median time of ``list_meetings(search=w, limit=50)``
(the service call the page makes, rows included) and of the equivalent LIKE query, and whether
both return the same meetings (top 50 by date; full sets for words with fewer than 2,000 hits).
Results are recorded in docs/performance-search.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from benchmarks.timing import median_ms
from desktop.services import meetings as svc
from desktop.store.ledger import Ledger

LIKE_SQL = """
SELECT m.id, m.date FROM meeting m
WHERE m.deleted_at IS NULL AND (
  lower(m.title) LIKE :p OR lower(m.lecture_title) LIKE :p OR lower(m.theme) LIKE :p
  OR lower(m.content) LIKE :p OR lower(m.resolution) LIKE :p OR lower(m.lecturer) LIKE :p
  OR lower(m.summary) LIKE :p OR lower(m.required_actions) LIKE :p OR lower(m.followup) LIKE :p
  OR EXISTS (SELECT 1 FROM agenda_item a WHERE a.meeting_id = m.id AND a.deleted_at IS NULL AND lower(a.text) LIKE :p)
  OR EXISTS (SELECT 1 FROM speech s WHERE s.meeting_id = m.id AND s.deleted_at IS NULL
             AND (lower(s.text) LIKE :p OR lower(s.speaker) LIKE :p OR lower(s.section) LIKE :p))
  OR EXISTS (SELECT 1 FROM motion x WHERE x.meeting_id = m.id AND x.deleted_at IS NULL AND lower(x.title) LIKE :p)
) ORDER BY m.date DESC
"""

FIXED = ["党员", "整改", "学习教育", "组织生活会", "耕地", "不动产登记", "防汛", "廉洁", "初心使命", "主题党日"]


def sample_words(ledger: Ledger, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    with ledger.read() as s:
        texts = [r[0] for r in s.execute(text("SELECT content FROM meeting ORDER BY id LIMIT 400"))]
    out = list(FIXED)
    for n in (2, 3, 4):
        got = 0
        while got < 4:
            t = rng.choice(texts)
            if len(t) <= n:
                continue
            i = rng.randrange(len(t) - n)
            w = t[i : i + n]
            if any(c in w for c in "，。、；：“”（）！？ \n") or w in out:
                continue
            out.append(w)
            got += 1
    out += ["党建引领", "湿地公园", "量子计算"]  # rare or absent
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    path = Path(args.file) if args.file else Path(tempfile.mkdtemp()) / "stress.zhibu"
    if not path.exists():
        from benchmarks.generate import make_stress_ledger

        print(f"generating {path} …", file=sys.stderr)
        make_stress_ledger(path)
    size_before = path.stat().st_size
    ledger = Ledger.open(path)
    try:
        t0 = time.perf_counter()
        svc.ensure_search_index(ledger)
        build_s = time.perf_counter() - t0
        size_after = path.stat().st_size
        with ledger.read() as s:
            n = s.execute(text("SELECT count(*) FROM meeting WHERE deleted_at IS NULL")).scalar_one()
        print(f"ledger: {n} meetings; index build {build_s:.1f} s; file {size_before / 1e6:.0f} MB → "
              f"{size_after / 1e6:.0f} MB\n")
        print("| word | chars | matches | search top 50 (ms) | LIKE top 50 (ms) | same result |")
        print("|---|---:|---:|---:|---:|---|")
        worst = 0.0
        for w in sample_words(ledger):
            fast, rows = median_ms(lambda w=w: svc.list_meetings(ledger, search=w, limit=50), args.runs)

            def like(w=w, limit=50):
                with ledger.read() as s:
                    sql = LIKE_SQL + (f" LIMIT {limit}" if limit else "")
                    return s.execute(text(sql), {"p": f"%{w.lower()}%"}).all()

            slow, brute = median_ms(like, max(1, args.runs // 3))
            same = [r.date.isoformat() for r in rows] == [str(b[1]) for b in brute]
            with ledger.read() as s:
                from desktop.services import search

                total = len(search.search_meeting_ids(s, w))
            if total < 2000:
                all_brute = {b[0] for b in like(w, None)}
                same = same and {r.id for r in svc.list_meetings(ledger, search=w)} == all_brute
            worst = max(worst, fast)
            print(f"| {w} | {len(w)} | {total} | {fast:.1f} | {slow:.0f} | {'yes' if same else 'NO'} |")
        print(f"\nslowest search: {worst:.1f} ms")
    finally:
        ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
