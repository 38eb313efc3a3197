"""Property: any text in any text field of any record kind comes out of every document kind,
in both formats, literally (after the input rule ``clean_text`` and whitespace), and no
exception escapes. Records go in through the services, as the program stores them.

CI runs a few derandomized examples per test (``ZHIBU_PROPERTY_EXAMPLES``, default 4; the
``ci`` profile in tests/conftest.py); ``scripts/property_long_run.sh`` runs many random ones,
with runs of one character up to 3,000 long."""

from __future__ import annotations

import os
import tempfile
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.export import ExportFilters, export
from documents.nasty_text import nasty_text
from documents.readback import body, contains, docx_text, pdf_text, squash

EXAMPLES = int(os.environ.get("ZHIBU_PROPERTY_EXAMPLES", "4"))
MAX_RUN = int(os.environ.get("ZHIBU_PROPERTY_MAX_RUN", "200"))  # longest run of one character
TODAY = date(2026, 6, 15)

pytestmark = pytest.mark.slow


def _visible(text: str) -> str:
    """Names, titles and descriptions are required: a text that cleans to nothing gets a character."""
    from desktop.domain.text import clean_line

    return text if clean_line(text).strip() else text + "某"


def _texts(n: int):
    return st.lists(nasty_text(max_parts=8, max_run=MAX_RUN).map(_visible), min_size=n, max_size=n)


def in_order(got: str, want: str, max_pieces: int) -> bool:
    """``want`` appears in ``got`` as at most ``max_pieces`` consecutive pieces, in order (a
    table cell running over several pages is interrupted by page numbers, repeated headers and
    a sheet's running title). Two ways of cutting, either may succeed: each next piece the
    longest found anywhere further on, or the one that starts first (at least eight characters
    long): the longest can sit in another field that shares a run (「————」 in a title)."""
    return _pieces(got, want, longest=True) <= max_pieces or _pieces(got, want, longest=False) <= max_pieces


def _pieces(got: str, want: str, longest: bool) -> float:
    pos = i = pieces = 0
    while i < len(want):
        if longest:
            lo, at = _longest_from(got, want, i, pos)
        else:
            lo, at = _first_from(got, want, i, pos)
        if lo == 0:
            return float("inf")
        pieces += 1
        pos, i = at + lo, i + lo
    return pieces


def _longest_from(got: str, want: str, i: int, pos: int) -> tuple[int, int]:
    lo, hi, at = 0, len(want) - i, -1  # the longest next piece found after ``pos``
    while lo < hi:
        mid = (lo + hi + 1) // 2
        k = got.find(want[i:i + mid], pos)
        if k >= 0:
            lo, at = mid, k
        else:
            hi = mid - 1
    return lo, at


def _first_from(got: str, want: str, i: int, pos: int) -> tuple[int, int]:
    k = got.find(want[i:i + min(8, len(want) - i)], pos)  # the first place the next piece starts
    if k < 0:
        return _longest_from(got, want, i, pos)
    n = 0
    while i + n < len(want) and k + n < len(got) and got[k + n] == want[i + n]:
        n += 1
    return n, k


def _pages(path: Path) -> int:
    if path.suffix != ".pdf":
        return 1
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _read(path: Path) -> str:
    return body(pdf_text(path)) if path.suffix == ".pdf" else body(docx_text(path))


def _check(result, fields: dict[str, str], kinds_label: str) -> None:
    """Every non-blank field is in every file (a table cell may be cut in two by a page). A
    character no installed font has prints as an empty box whose text a PDF cannot carry: it
    must be among the export's warnings instead."""
    assert result.paths, kinds_label
    missing = {w.char for w in result.warnings if hasattr(w, "char")}  # others: e.g. drafts left out
    for path in result.paths:
        got, pages = _read(path), _pages(path)
        for name, value in fields.items():
            want = squash(value)
            if path.suffix == ".pdf":
                want = "".join(c for c in body(value) if c not in missing)
            if want:
                assert contains(got, want) or in_order(got, want, pages), f"{kinds_label} {path.name}: field {name} = {value!r} missing"


def _ledger(tmp: Path):
    from desktop.store.ledger import Ledger

    return Ledger.open(tmp / "p.zhibu", create=True)


def _org(led, branch: str, group: str, member: str, committee: str = "机关党委", unit: str = "某局"):
    from desktop.services.members import MemberInput, save_member
    from desktop.services.organization import BranchInput, save_branch, save_committee, save_group

    save_committee(led, committee, unit)
    bid = save_branch(led, BranchInput(branch, has_committee=True, has_groups=True))
    gid = save_group(led, bid, group)
    mid = save_member(led, MemberInput(name=member, gender="男", branch_id=bid, group_id=gid, birth_date="1980-01-02",
                                       join_date="2006-06-10", full_date="2007-06-10", phone="13812345678"), today=TODAY)
    return bid, gid, mid


MEETING_FIELDS = ("title", "place", "host", "recorder", "lecturer", "lecturer_title", "lecture_title", "summary",
                  "theme", "required_actions", "followup", "content", "resolution")


def _meeting_fields(d) -> dict[str, str]:
    """The text fields a meeting's record prints (the kind decides which header facts)."""
    f = {k: getattr(d, k) for k in ("place", "host", "recorder", "content", "resolution", "branch_name")}
    if d.kind == "党课":
        f.update({k: getattr(d, k) for k in ("lecturer", "lecturer_title", "lecture_title", "summary")})
    if d.kind == "主题党日":
        f.update({k: getattr(d, k) for k in ("theme", "followup")})
        f.update({f"required{i}": x for i, x in enumerate(d.required_actions.split("\n"))})
    f.update({f"agenda{i}": a for i, a in enumerate(d.agenda)})
    for i, sp in enumerate(d.speeches):
        f.update({f"speaker{i}": sp.speaker, f"speech{i}": sp.text, f"section{i}": sp.section})
    f.update({f"motion{i}": mo.title for i, mo in enumerate(d.motions)})
    f.update({f"guest{i}": g.name for i, g in enumerate(d.guests)})
    f.update({f"guest_title{i}": g.title for i, g in enumerate(d.guests)})
    f.update({f"absent{i}": a.name for i, a in enumerate(d.attendance)})
    f.update({f"reason{i}": a.reason for i, a in enumerate(d.attendance)})
    return f


@settings(max_examples=EXAMPLES)
@given(texts=_texts(len(MEETING_FIELDS) + 10))
def test_meeting_text_in_minutes_signin_ledger_compliance(texts):
    from desktop.services.meetings import (
        AttendanceData,
        GuestData,
        MeetingInput,
        MotionData,
        SpeechData,
        get_meeting,
        list_meetings,
        save_meeting,
    )

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        led = _ledger(tmp)
        try:
            bid, gid, mid = _org(led, *texts[-3:])
            base = dict(zip(MEETING_FIELDS, texts, strict=False))
            extra = texts[len(MEETING_FIELDS):]
            for kind, day in (("党课", date(2026, 3, 5)), ("主题党日", date(2026, 4, 10))):
                save_meeting(led, MeetingInput(
                    branch_id=bid, kind=kind, date=day, start_time=time(9), end_time=time(11), **base,
                    agenda=[extra[0], extra[1]], speeches=[SpeechData(extra[2], extra[3], extra[4])],
                    motions=[MotionData(extra[5], yes=1)], guests=[GuestData(extra[6], extra[0])],
                    attendance=[AttendanceData(mid, "", "正式党员", "缺席", extra[1])]))
            details = [get_meeting(led, r.id) for r in list_meetings(led, year=2026)]
            everything: dict[str, str] = {}
            for d in details:
                res = export(led, "minutes", tmp / d.id, "both", ExportFilters(meeting=d.id, today=TODAY))
                _check(res, _meeting_fields(d), "minutes")
                everything.update({f"{d.kind}.{k}": v for k, v in _meeting_fields(d).items()})
            _check(export(led, "ledger", tmp / "ledger", "both", ExportFilters(year=2026, today=TODAY)), everything, "ledger")
            branch = {"branch": details[0].branch_name}
            _check(export(led, "signin", tmp / "signin", "both", ExportFilters(year=2026, today=TODAY)),
                   {**branch, "member": details[0].attendance[0].name}, "signin")
            _check(export(led, "compliance", tmp / "compliance", "both", ExportFilters(year=2026, today=TODAY)),
                   branch, "compliance")
        finally:
            led.close()


@settings(max_examples=EXAMPLES)
@given(texts=_texts(11))
def test_rectification_text_in_the_list(texts):
    from desktop.services.rectification import (
        CampaignInput,
        MeasureInput,
        ProblemInput,
        add_progress,
        get_campaign_tree,
        list_campaigns,
        save_campaign,
        save_category,
        save_measure,
        save_problem,
    )

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        led = _ledger(tmp)
        try:
            bid, _gid, _mid = _org(led, texts[0], "第一党小组", "张三")
            cid = save_campaign(led, CampaignInput(texts[1], 2026, branch_id=bid, description=texts[2]))
            cat = save_category(led, cid, texts[3])
            pid = save_problem(led, ProblemInput(cat, texts[4]))
            ms = [save_measure(led, MeasureInput(pid, texts[5 + k], target=texts[6], leader=texts[7], owner=texts[8],
                                                 evidence=texts[9], deadline=date(2026, 9, 30)), today=TODAY)
                  for k in range(2)]
            add_progress(led, ms[0], date(2026, 5, 1), texts[10], today=TODAY)
            res = export(led, "rectification", tmp / "out", "both", ExportFilters(today=TODAY))
            tree = get_campaign_tree(led, list_campaigns(led)[0].id, today=TODAY)
            fields = {"campaign": tree.campaign.name}
            for c, p in tree.problems():
                fields.update({"category": c.name, "problem": p.description})
                for m in p.measures:
                    fields.update({f"content{m.number}": m.content, "target": m.target, "leader": m.leader,
                                   "owner": m.owner, "evidence": m.evidence})
                    fields.update({f"progress{i}": pr.text for i, pr in enumerate(m.progress)})
            _check(res, fields, "rectification")
        finally:
            led.close()


@settings(max_examples=EXAMPLES)
@given(texts=_texts(9))
def test_member_text_in_roster_birthdays_and_cards(texts):
    from desktop.services.birthdays import save_message_template
    from desktop.services.members import MemberInput, list_members, save_member
    from desktop.services.settings import LedgerSettings, save_settings

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        led = _ledger(tmp)
        try:
            bid, gid, _mid = _org(led, texts[0], texts[1], texts[2], committee=texts[3], unit=texts[4])
            save_member(led, MemberInput(name=texts[5], gender="女", branch_id=bid, group_id=gid, ethnicity=texts[6],
                                         education=texts[7], job_title=texts[8], birth_date="1990-02-03",
                                         join_date="2016-06-20", full_date="2017-06-20"), today=TODAY)
            save_settings(led, LedgerSettings(unit_name=texts[4]))
            save_message_template(led, texts[8] + "{姓名}" + texts[7])
            rows = list_members(led, status="在册", today=TODAY)
            for kind in ("roster", "birthdays", "cards"):
                res = export(led, kind, tmp / kind, "both", ExportFilters(year=2026, month=6, today=TODAY))
                fields = {f"name{i}": r.name for i, r in enumerate(rows)}
                fields["branch"] = rows[0].branch_name
                if kind == "roster":
                    fields.update({f"{f}{i}": getattr(r, f) for i, r in enumerate(rows)
                                   for f in ("ethnicity", "education", "party_post", "group_name")})
                if kind == "cards":
                    fields.update({"template_a": squash(texts[8]) and rows[-1].job_title,
                                   "template_b": rows[-1].education})
                _check(res, fields, kind)
        finally:
            led.close()
