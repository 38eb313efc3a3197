"""Printed minutes of a record reopened after 定稿 carry 「本记录于…重新编辑，原因：…」 in PDF and
Word; the ledger setting print_reopen_note turns it off."""

from __future__ import annotations

from dataclasses import replace

import pypdfium2
from docx import Document

from desktop.domain.enums import MeetingKind
from desktop.services import meetings as svc
from desktop.services.export import ExportFilters, export
from desktop.services.settings import get_settings, save_settings
from tests.services.test_meetings_service import DAY, complete


def _texts(paths):
    out = {}
    for p in paths:
        if p.suffix == ".pdf":
            pdf = pypdfium2.PdfDocument(p)
            out["pdf"] = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).replace("\r\n", "")
        else:
            doc = Document(p)
            out["docx"] = "\n".join(par.text for par in doc.paragraphs)
    return out


def test_reopened_record_prints_the_note(org_ledger, tmp_path):
    ids = org_ledger.ids
    mid = svc.save_meeting(org_ledger, svc.new_meeting(org_ledger, ids["branch1"], MeetingKind.COMMITTEE, DAY))
    d = svc.get_meeting(org_ledger, mid)
    svc.save_meeting(org_ledger, complete(d.to_input()))
    assert svc.finalize_meeting(org_ledger, mid, accept_warnings=True).finalized
    svc.reopen_meeting(org_ledger, mid, "补记王磊同志缺席原因")
    assert svc.finalize_meeting(org_ledger, mid, accept_warnings=True).finalized
    at = svc.get_meeting(org_ledger, mid).reopenings[0].at.astimezone()
    expected = f"本记录于{at.year}年{at.month}月{at.day}日{at:%H:%M}重新编辑，原因：补记王磊同志缺席原因"
    texts = _texts(export(org_ledger, "minutes", tmp_path / "on", "both", ExportFilters(meeting=mid)).paths)
    assert expected in texts["pdf"] and expected in texts["docx"]
    save_settings(org_ledger, replace(get_settings(org_ledger), print_reopen_note=False))
    texts = _texts(export(org_ledger, "minutes", tmp_path / "off", "both", ExportFilters(meeting=mid)).paths)
    assert "重新编辑" not in texts["pdf"] and "重新编辑" not in texts["docx"]
