"""A disk that fills up during an export: a plain 「磁盘已满」 message naming the files already
complete, no partial file, no traceback (CLI: exit 4; GUI: no crash dialog)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.services.export import ExportFilters, ExportWriteError, export

CLI = "import sys; from desktop.cli import main; sys.exit(main())"


@pytest.fixture
def one_meeting_file(tmp_path):
    from desktop.services.meetings import MeetingInput, save_meeting
    from desktop.services.organization import BranchInput, save_branch
    from desktop.store.ledger import Ledger

    path = tmp_path / "one.zhibu"
    led = Ledger.open(path, create=True)
    bid = save_branch(led, BranchInput("第一党支部", has_committee=True))
    save_meeting(led, MeetingInput(branch_id=bid, kind="支部委员会", date=date(2026, 3, 5), content="研究工作。" * 200))
    led.close()
    return path


def _sizes(path: Path, tmp_path: Path) -> dict[str, int]:
    from desktop.store.ledger import Ledger

    led = Ledger.open(path)
    try:
        res = export(led, "minutes", tmp_path / "probe", "both", ExportFilters(year=2026))
    finally:
        led.close()
    return {p.suffix: p.stat().st_size for p in res.paths}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "filler.bin")


def test_cli_disk_full_while_writing_the_docx(one_meeting_file, tmp_path, small_disk):
    sizes = _sizes(one_meeting_file, tmp_path)
    out = small_disk(sizes[".pdf"] + 8192)  # the PDF fits, the DOCX does not
    proc = subprocess.run([sys.executable, "-c", CLI, "export", str(one_meeting_file), "minutes", "--out", str(out),
                           "--format", "both", "--year", "2026"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4, proc.stderr
    assert "磁盘已满" in proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    pdf = out / "2026年第一党支部第1次支部委员会会议记录.pdf"
    assert _leftovers(out) == [pdf.name]  # no partial .docx, no temp file
    assert "已完整写入1个文件" in proc.stderr and str(pdf) in proc.stderr
    assert len(PdfReader(str(pdf)).pages) >= 1  # the listed file is complete


def test_service_disk_full_before_anything_is_written(one_meeting_file, small_disk):
    from desktop.store.ledger import Ledger

    out = small_disk(4096)
    led = Ledger.open(one_meeting_file)
    try:
        with pytest.raises(ExportWriteError) as info:
            export(led, "minutes", out, "docx", ExportFilters(year=2026))
    finally:
        led.close()
    assert info.value.disk_full and info.value.written == []
    assert str(info.value).startswith("磁盘已满") and "没有写入任何文件" in str(info.value)
    assert _leftovers(out) == []
