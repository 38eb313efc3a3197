"""zhibu dump / load: deterministic JSON of every record, round trip, every error with its path."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.services import dumpload
from desktop.services.files import DumpInvalid, check_ledger, dump_ledger, load_ledger
from desktop.store import errors
from desktop.store import models as M
from desktop.store.header import SCHEMA_VERSION
from desktop.store.ledger import Ledger

from .util import LEDGER_V1, fill_rich, folder_listing, sha256

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rich(tmp_path):
    path = tmp_path / "rich.zhibu"
    with Ledger.open(path, create=True) as led:
        fill_rich(led)
    return path


def test_dump_format(rich):
    before = sha256(rich)
    text = dump_ledger(rich)
    assert sha256(rich) == before and folder_listing(rich.parent) == ["rich.zhibu"]
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
    assert dump_ledger(rich) == text  # deterministic


def test_round_trip_is_identical(rich, tmp_path):
    first = dump_ledger(rich)
    copy = tmp_path / "copy.zhibu"
    result = load_ledger(first, copy)
    assert result.counts["meeting"] == 1 and result.counts["speech"] == 2
    assert dump_ledger(copy) == first
    assert sorted(folder_listing(tmp_path)) == ["copy.zhibu", "rich.zhibu"]
    with Ledger.open(copy) as led, led.read() as s:  # the ORM reads what load wrote
        meeting = s.query(M.Meeting).one()
        assert meeting.end_time.microsecond == 250000 and meeting.finalized_at.tzinfo is not None
        assert meeting.attachments[0].data == b"\x89PNG\x00\xff"
        assert meeting.attendance and {a.status for a in meeting.attendance} == {"出席", "缺席"}


def test_v1_dump_loads_into_current_schema(tmp_path):
    old = dump_ledger(LEDGER_V1)
    assert json.loads(old)["schema"] == 1 and "agenda_template" not in json.loads(old)["tables"]
    new = tmp_path / "from_v1.zhibu"
    load_ledger(old, new)
    second = dump_ledger(new)
    data = json.loads(second)
    assert data["schema"] == SCHEMA_VERSION and {m["job_title"] for m in data["tables"]["member"]} == {""}
    again = tmp_path / "again.zhibu"
    load_ledger(second, again)
    assert dump_ledger(again) == second


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
    with Ledger.open(rich) as led:
        assert json.loads(dump_ledger(led)) == json.loads(dump_ledger(rich))


def test_load_refuses_existing_file(rich, tmp_path):
    text = dump_ledger(rich)
    target = tmp_path / "exists.zhibu"
    target.write_bytes(b"keep me")
    with pytest.raises(errors.FileExists):
        load_ledger(text, target)
    assert target.read_bytes() == b"keep me"


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


def test_invalid_dump_lists_every_error_and_writes_nothing(rich, tmp_path):
    out = tmp_path / "new"
    out.mkdir()
    with pytest.raises(DumpInvalid) as info:
        load_ledger(_broken(rich), out / "x.zhibu")
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
    assert folder_listing(out) == []  # nothing written, not even a temp file


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


def test_text_is_cleaned_on_load(rich, tmp_path):
    data = json.loads(dump_ledger(rich))
    data["tables"]["member"][0]["name"] = " 张建\x00国\n "
    data["tables"]["meeting"][0]["content"] = "第一段\r\n第二段\x0b第三段\u3000 "
    data["tables"]["meeting"][0]["place"] = "三楼\u2028会议室"
    path = tmp_path / "clean.zhibu"
    load_ledger(json.dumps(data), path)
    loaded = json.loads(dump_ledger(path))
    assert loaded["tables"]["member"][0]["name"] == "张建国"
    assert loaded["tables"]["meeting"][0]["content"] == "第一段\n第二段\n第三段"
    assert loaded["tables"]["meeting"][0]["place"] == "三楼 会议室"


def test_failure_while_writing_leaves_nothing(rich, tmp_path, monkeypatch):
    text = dump_ledger(rich)
    out = tmp_path / "out"
    out.mkdir()

    def disk_full(ledger, tables):
        raise errors.DiskFull(ledger.path, "磁盘已满，修改没有保存。")

    monkeypatch.setattr(dumpload, "_insert", disk_full)
    with pytest.raises(errors.DiskFull):
        load_ledger(text, out / "x.zhibu")
    assert folder_listing(out) == []


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
        cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_cli_dump_and_load(rich, tmp_path):
    dumped = _cli("dump", str(rich))
    assert dumped.returncode == 0, dumped.stderr
    assert dumped.stdout == dump_ledger(rich)
    json_file = tmp_path / "d.json"
    assert _cli("dump", str(rich), "-o", str(json_file)).returncode == 0
    assert json_file.read_text(encoding="utf-8") == dumped.stdout
    target = tmp_path / "loaded.zhibu"
    loaded = _cli("load", str(json_file), str(target))
    assert loaded.returncode == 0 and "已新建台账" in loaded.stdout, loaded.stderr
    assert _cli("dump", str(target)).stdout == dumped.stdout
    again = _cli("load", "-", str(target), stdin=dumped.stdout)
    assert again.returncode == 2 and "文件已存在" in again.stderr
    bad = _cli("load", "-", str(tmp_path / "bad.zhibu"), stdin=_broken(rich))
    assert bad.returncode == 1
    assert "$.tables.member[0].join_date: 2023-02-30 不是有效日期" in bad.stderr
    assert "13 处错误" in bad.stderr and not (tmp_path / "bad.zhibu").exists()
    not_ledger = tmp_path / "note.zhibu"
    not_ledger.write_text("hello")
    failed = _cli("dump", str(not_ledger))
    assert failed.returncode == 2 and "不是 SQLite" in failed.stderr and failed.stdout == ""


def test_demo_ledger_round_trip(tmp_path):
    """The demo ledger (every record kind the program writes) survives dump → load → dump."""
    from desktop.services.demo import build_demo

    demo = tmp_path / "demo.zhibu"
    build_demo(demo)
    first = dump_ledger(demo)
    copy = tmp_path / "copy.zhibu"
    load_ledger(first, copy)
    assert dump_ledger(copy) == first
    assert check_ledger(copy).counts == check_ledger(demo).counts


def test_paths_with_chinese_spaces_and_uri_characters(rich, tmp_path):
    """check and dump open files through SQLite URIs (mode=ro): '?', '#', '%' and spaces must survive."""
    odd = tmp_path / "支部 台账 #1?%20 (副本).zhibu"
    odd.write_bytes(rich.read_bytes())
    assert check_ledger(odd).ok
    assert dump_ledger(odd) == dump_ledger(rich)
    target = tmp_path / "新 台账#2.zhibu"
    load_ledger(dump_ledger(odd), target)
    assert check_ledger(target).ok
