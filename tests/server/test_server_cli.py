"""The command line on a server ledger: every command that takes a ledger takes a URL too.

One demo ledger goes file → ``zhibu dump`` → ``zhibu load JSON URL`` → ``zhibu dump URL``: the two
dumps are byte-identical (nothing lost or changed on the way); ``check``, ``summary``,
``precheck`` and ``export`` then give the same answers on the server as on the file, and search
finds the same meetings for every 2-character word of the demo text (and agrees with a
brute-force scan).
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # a demo ledger built, dumped and loaded; a dozen CLI processes


def zhibu(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "desktop", *args], capture_output=True, text=True, cwd=ROOT)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def demo_pair(pg_cluster, tmp_path_factory):
    """(demo file, URL of a server database loaded from the file's dump, the dump text)."""
    folder = tmp_path_factory.mktemp("demo")
    file = folder / "demo.zhibu"
    zhibu("demo", str(file), check=True)
    dump = folder / "demo.json"
    zhibu("dump", str(file), "-o", str(dump), check=True)
    pg_cluster.execute("CREATE DATABASE demo_server")
    url = pg_cluster.url("demo_server")
    loaded = zhibu("load", str(dump), url, check=True)
    assert "demo_server" in loaded.stdout + loaded.stderr or loaded.returncode == 0
    yield file, url, dump.read_text(encoding="utf-8")
    pg_cluster.execute("DROP DATABASE demo_server WITH (FORCE)")


def test_dump_of_the_server_equals_the_files(demo_pair):
    _file, url, dumped = demo_pair
    again = zhibu("dump", url, check=True)
    assert again.stdout == dumped


def test_check_summary_precheck_agree(demo_pair):
    file, url, _ = demo_pair
    checked = zhibu("check", url)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "检查通过" in checked.stdout
    file_counts = [ln for ln in zhibu("check", str(file)).stdout.splitlines() if ln.startswith("  ")]
    assert [ln for ln in checked.stdout.splitlines() if ln.startswith("  ")] == file_counts
    for cmd in (["summary", "--year", "2026", "--date", "2026-11-22"], ["precheck", "--year", "2026"]):
        on_file = zhibu(cmd[0], str(file), *cmd[1:])
        on_server = zhibu(cmd[0], url, *cmd[1:])
        assert on_server.returncode == on_file.returncode, on_server.stderr
        assert on_server.stdout.replace(url, "X") == on_file.stdout.replace(str(file), "X")
        assert on_server.stdout.strip()


def test_export_from_the_server(demo_pair, tmp_path):
    _file, url, _ = demo_pair
    out = zhibu("export", url, "roster", "--out", str(tmp_path), check=True)
    pdfs = list(tmp_path.glob("*.pdf"))
    assert pdfs and pdfs[0].stat().st_size > 1000, out.stdout


def test_server_url_errors_are_plain(pg_cluster):
    bad = pg_cluster.url("nowhere")
    proc = zhibu("summary", bad)
    assert proc.returncode == 2
    assert "服务器上没有这个数据库：nowhere" in proc.stderr and "Traceback" not in proc.stderr


def test_two_character_search_same_as_file_and_brute_force(demo_pair):
    from desktop.services import meetings as svc
    from desktop.store.opening import open_ledger

    file, url, _ = demo_pair
    with open_ledger(file) as on_file, open_ledger(url) as on_server:
        texts = {}  # every searchable stored column of every live meeting (what the index covers)
        from sqlalchemy import select

        from desktop.store.models import Meeting

        with on_server.read() as s:
            for m in s.execute(select(Meeting).where(Meeting.deleted_at.is_(None))).scalars():
                parts = [m.title, m.lecture_title, m.theme, m.content, m.resolution, m.lecturer, m.summary,
                         m.required_actions, m.followup]
                parts += [a.text for a in m.agenda if a.deleted_at is None]
                parts += [x for sp in m.speeches if sp.deleted_at is None for x in (sp.section, sp.speaker, sp.text)]
                parts += [mo.title for mo in m.motions if mo.deleted_at is None]
                parts += [f"{g.name} {g.title}".strip() for g in m.guests if g.deleted_at is None]
                texts[m.id] = "\n".join(p for p in parts if p).lower()
        corpus = "".join(texts.values())
        rng = random.Random(14)
        words = set()
        while len(words) < 60:  # 2-character words that occur, and a few that cannot
            i = rng.randrange(len(corpus) - 2)
            w = corpus[i:i + 2]
            if not any(c.isspace() for c in w):
                words.add(w)
        words |= {"湿地", "量子", "Zq"}
        found = 0
        for w in sorted(words):
            brute = sorted(mid for mid, t in texts.items() if w.lower() in t)
            server = sorted(r.id for r in svc.list_meetings(on_server, search=w))
            extra = sorted(set(server) ^ set(brute))[:1]
            assert server == brute, (w, [(e, e in texts, texts.get(e, "")[:80]) for e in extra],
                                     [(r.id, r.match) for r in svc.list_meetings(on_server, search=w) if r.id in extra])
            assert server == sorted(r.id for r in svc.list_meetings(on_file, search=w)), w
            found += bool(brute)
        assert found >= 50
