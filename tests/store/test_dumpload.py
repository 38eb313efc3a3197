"""zhibu dump / load: deterministic JSON of every record, round trip, every error with its path.
On both back ends (``rich`` is a file or a server ledger; a load goes to a new file or an empty
database); the paths of files are the file's own."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from backends import nothing_at

from desktop.services import dumpload
from desktop.services.files import DumpInvalid, check_ledger, dump_ledger, load_ledger
from desktop.store import errors
from desktop.store import models as M
from desktop.store.header import SCHEMA_VERSION
from desktop.store.ledger import Ledger
from desktop.store.opening import open_ledger

from .util import LEDGER_V1, folder_listing, sha256

ROOT = Path(__file__).resolve().parents[2]


def _closed(led) -> str:
    """The ledger closed, named as a command line names it: the file's path or the server's URL."""
    led.close()
    return led.location


def test_dump_format(rich, backend):
    source = _closed(rich)
    before = sha256(source) if backend == "file" else None
    text = dump_ledger(source)
    if backend == "file":  # read only: the file unchanged, nothing beside it
        assert sha256(source) == before and folder_listing(Path(source).parent) == ["t.zhibu"]
    data = json.loads(text)
    assert list(data) == ["format", "schema", "tables"]
    assert data["format"] == "zhibu-dump" and data["schema"] == SCHEMA_VERSION
    assert list(data["tables"]) == [m.__tablename__ for m in (*M.MODELS_IN_ORDER, *M.HISTORY_MODELS)]
    for name, rows in data["tables"].items():
        key = (lambda r: r["id"]) if name != "change" else (lambda r: (r["record_id"], r["set_id"], r["field"]))
        assert [key(r) for r in rows] == sorted(key(r) for r in rows), name
        assert all(list(r) == [c.name for c in M.Base.metadata.tables[name].columns] for r in rows)
    meeting = data["tables"]["meeting"][0]
    assert meeting["date"] == "2026-03-20" and meeting["start_time"] == "14:30:00"
    assert meeting["end_time"] == "16:00:00.250000"
    assert meeting["finalized_at"] == "2026-03-21T01:02:03.123000Z"
    assert meeting["is_election"] is False and meeting["state"] == "定稿"
    assert base64.b64decode(data["tables"]["attachment"][0]["data"]) == b"\x89PNG\x00\xff"
    speeches = data["tables"]["speech"]
    assert len(speeches) == 2 and sum(s["deleted_at"] is not None for s in speeches) == 1  # tombstone kept
    assert data["tables"]["member"][0]["notes"].endswith("👍🏽 𠮷")
    assert text.count("\n") > sum(len(r) for r in data["tables"].values())  # one row per line
    assert dump_ledger(source) == text  # deterministic


def test_round_trip_is_identical(rich, new_target, backend, tmp_path):
    first = dump_ledger(rich)
    copy = new_target()
    result = load_ledger(first, copy)
    assert result.counts["meeting"] == 1 and result.counts["speech"] == 2
    assert dump_ledger(copy) == first
    if backend == "file":
        rich.close()
        assert sorted(folder_listing(tmp_path)) == ["new1.zhibu", "t.zhibu"]
    with open_ledger(copy) as led, led.read() as s:  # the ORM reads what load wrote
        meeting = s.query(M.Meeting).one()
        assert meeting.end_time.microsecond == 250000 and meeting.finalized_at.tzinfo is not None
        assert meeting.attachments[0].data == b"\x89PNG\x00\xff"
        assert meeting.attendance and {a.status for a in meeting.attendance} == {"出席", "缺席"}


def test_v1_dump_loads_into_current_schema(new_target):
    old = dump_ledger(LEDGER_V1)
    assert json.loads(old)["schema"] == 1 and "agenda_template" not in json.loads(old)["tables"]
    new = new_target()
    load_ledger(old, new)
    second = dump_ledger(new)
    data = json.loads(second)
    assert data["schema"] == SCHEMA_VERSION and {m["job_title"] for m in data["tables"]["member"]} == {""}
    again = new_target()
    load_ledger(second, again)
    assert dump_ledger(again) == second


@pytest.mark.file_only(reason="compares with the upgrade of the v4 file (the server's v4 upgrade: tests/server/test_server_upgrade.py)")
def test_v4_dump_keeps_party_post_and_loads_it_as_post_holdings(tmp_path):
    """A dump of a schema-4 file carries member.party_post; loading it does what the v4→v5
    upgrade does to the file: posts become holdings, the rest goes to 备注, its history goes."""
    v4 = LEDGER_V1.with_name("ledger_v4.zhibu")
    old = json.loads(dump_ledger(v4))
    assert old["schema"] == 4
    assert {m["name"]: m["party_post"] for m in old["tables"]["member"]}["刘志强"] == "支部委员、组织委员"
    load_ledger(json.dumps(old, ensure_ascii=False), tmp_path / "from_v4.zhibu")
    upgraded = tmp_path / "upgraded.zhibu"
    upgraded.write_bytes(v4.read_bytes())
    Ledger.open(upgraded, backup_dir=tmp_path / "b").close()
    loaded, opened = (json.loads(dump_ledger(p)) for p in (tmp_path / "from_v4.zhibu", upgraded))
    assert "party_post" not in loaded["tables"]["member"][0]

    def same(data):  # ids and stamps of the new rows differ; the facts do not
        holdings = sorted((r["member_id"], r["post"], r["start_date"], r["end_date"]) for r in data["tables"]["post_holding"])
        notes = sorted((m["name"], m["notes"]) for m in data["tables"]["member"])
        return holdings, notes, sorted((c["record_id"], c["field"]) for c in data["tables"]["change"])

    assert same(loaded) == same(opened)
    assert ("刘志强", "原党内职务：支部委员、组织委员") in same(loaded)[1]


def test_open_ledger_can_be_dumped(rich):
    through_open = json.loads(dump_ledger(rich))
    assert through_open == json.loads(dump_ledger(_closed(rich)))


def test_load_refuses_existing_file(rich, tmp_path):
    text = dump_ledger(rich)
    target = tmp_path / "exists.zhibu"
    target.write_bytes(b"keep me")
    with pytest.raises(errors.FileExists):
        load_ledger(text, target)
    assert target.read_bytes() == b"keep me"
    with pytest.raises(errors.FileExists):  # a ledger (file or database) already there: untouched
        load_ledger(text, _closed(rich))
    assert dump_ledger(rich.location) == text


def _broken(rich) -> str:
    data = json.loads(dump_ledger(rich))
    t = data["tables"]
    t["member"][0]["join_date"] = "2023-02-30"
    t["member"][1]["category"] = "党员"
    t["member"][2]["shoe_size"] = 42
    del t["committee"][0]["name"]
    t["branch"][0]["has_groups"] = "是"
    t["meeting"][0]["start_time"] = "25:61"
    t["meeting"][0]["number"] = "一"
    t["attachment"][0]["data"] = "不是base64!"
    t["attendance"][0]["member_id"] = "no-such-member"
    t["speech"][1]["id"] = t["speech"][0]["id"]
    t["measure"][0]["content"] = None
    t["reopening"][0]["at"] = "昨天"
    t["photos"] = []
    return json.dumps(data, ensure_ascii=False)


def test_invalid_dump_lists_every_error_and_writes_nothing(rich, new_target):
    target = new_target()
    with pytest.raises(DumpInvalid) as info:
        load_ledger(_broken(rich), target)
    found = "\n".join(info.value.errors)
    for expected in (
        "$.tables.member[0].join_date: 2023-02-30 不是有效日期",
        "$.tables.member[1].category: “党员”不是有效值（可选：正式党员、预备党员）",
        "$.tables.member[2].shoe_size: 未知字段 shoe_size",
        "$.tables.committee[0].name: 缺少此字段",
        "$.tables.branch[0].has_groups: \"是\" 不是 true 或 false",
        "$.tables.meeting[0].start_time: 25:61 不是有效时间",
        "$.tables.meeting[0].number: \"一\" 不是整数",
        "$.tables.attachment[0].data: 不是base64! 不是有效base64 文本",
        "$.tables.attendance[0].member_id: 引用的 member 记录 no-such-member 不存在",
        "$.tables.speech[1].id: 与 $.tables.speech[0] 重复",
        "$.tables.measure[0].content: 不能为空（null）",
        "$.tables.reopening[0].at: 昨天 不是有效时间戳",
        "$.tables.photos: 未知的表 photos",
    ):
        assert expected in found, f"{expected!r} not in:\n{found}"
    assert len(info.value.errors) == 13
    assert nothing_at(target)  # nothing written, not even a temp file


@pytest.mark.parametrize(
    "text,expected",
    [
        ("{not json", "$: JSON 格式错误：第 1 行第 2 列"),
        ("[]", "$: 应为 JSON 对象"),
        ('{"format": "other", "schema": 1, "tables": {}}', "$.format: 应为 \"zhibu-dump\""),
        ('{"format": "zhibu-dump", "schema": 99, "tables": {}}', "$.schema: 数据格式第 99 版比本程序支持的"),
        ('{"format": "zhibu-dump", "schema": 2}', "$.tables: 缺少 tables 对象"),
        ('{"format": "zhibu-dump", "schema": 2, "tables": {"member": {}}}', "$.tables.member: 应为记录列表"),
    ],
)
def test_invalid_top_level(tmp_path, text, expected):
    with pytest.raises(DumpInvalid) as info:
        load_ledger(text, tmp_path / "x.zhibu")
    assert any(e.startswith(expected) for e in info.value.errors), info.value.errors
    assert folder_listing(tmp_path) == []


def test_text_is_cleaned_on_load(rich, new_target):
    data = json.loads(dump_ledger(rich))
    data["tables"]["member"][0]["name"] = " 张建\x00国\n "
    data["tables"]["meeting"][0]["content"] = "第一段\r\n第二段\x0b第三段\u3000 "
    data["tables"]["meeting"][0]["place"] = "三楼\u2028会议室"
    path = new_target()
    load_ledger(json.dumps(data), path)
    loaded = json.loads(dump_ledger(path))
    assert loaded["tables"]["member"][0]["name"] == "张建国"
    assert loaded["tables"]["meeting"][0]["content"] == "第一段\n第二段\n第三段"
    assert loaded["tables"]["meeting"][0]["place"] == "三楼 会议室"


def test_failure_while_writing_leaves_nothing(rich, new_target, monkeypatch):
    """A load that fails while writing (a full disk; a server connection lost) leaves nothing: no
    file, no temp file, no half-made ledger in the database (a retry must not find one)."""
    text = dump_ledger(rich)
    target = new_target()

    def disk_full(ledger, tables):
        raise errors.DiskFull(ledger.path, "磁盘已满，修改没有保存。")

    monkeypatch.setattr(dumpload, "_insert", disk_full)
    with pytest.raises(errors.DiskFull):
        load_ledger(text, target)
    assert nothing_at(target)
    monkeypatch.undo()
    load_ledger(text, target)  # the retry finds the place empty
    assert dump_ledger(target) == text


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
        cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_cli_dump_and_load(rich, new_target, backend, tmp_path):
    broken = _broken(rich)
    source = _closed(rich)
    dumped = _cli("dump", source)
    assert dumped.returncode == 0, dumped.stderr
    assert dumped.stdout == dump_ledger(source)
    json_file = tmp_path / "d.json"
    assert _cli("dump", source, "-o", str(json_file)).returncode == 0
    assert json_file.read_text(encoding="utf-8") == dumped.stdout
    target = new_target()
    loaded = _cli("load", str(json_file), target)
    assert loaded.returncode == 0 and "已新建台账" in loaded.stdout, loaded.stderr
    assert _cli("dump", target).stdout == dumped.stdout
    again = _cli("load", "-", target, stdin=dumped.stdout)
    exists = "文件已存在" if backend == "file" else "已经有台账"
    assert again.returncode == 2 and exists in again.stderr, again.stderr
    bad_target = new_target()
    bad = _cli("load", "-", bad_target, stdin=broken)
    assert bad.returncode == 1
    assert "$.tables.member[0].join_date: 2023-02-30 不是有效日期" in bad.stderr
    assert "13 处错误" in bad.stderr and nothing_at(bad_target)
    if backend == "server":
        return
    not_ledger = tmp_path / "note.zhibu"
    not_ledger.write_text("hello")
    failed = _cli("dump", str(not_ledger))
    assert failed.returncode == 2 and "不是 SQLite" in failed.stderr and failed.stdout == ""


def test_demo_ledger_round_trip(new_target):
    """The demo ledger (every record kind the program writes) survives dump → load → dump."""
    from desktop.services.demo import build_demo

    demo = new_target()
    build_demo(demo)
    first = dump_ledger(demo)
    copy = new_target()
    load_ledger(first, copy)
    assert dump_ledger(copy) == first
    assert check_ledger(copy).counts == check_ledger(demo).counts


@pytest.mark.file_only(reason="file names through SQLite URIs")
def test_paths_with_chinese_spaces_and_uri_characters(rich, tmp_path):
    """check and dump open files through SQLite URIs (mode=ro): '?', '#', '%' and spaces must survive."""
    odd = tmp_path / "支部 台账 #1?%20 (副本).zhibu"
    odd.write_bytes(Path(_closed(rich)).read_bytes())
    assert check_ledger(odd).ok
    assert dump_ledger(odd) == dump_ledger(rich.location)
    target = tmp_path / "新 台账#2.zhibu"
    load_ledger(dump_ledger(odd), target)
    assert check_ledger(target).ok
