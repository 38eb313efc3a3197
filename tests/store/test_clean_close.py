"""Opening runs the whole-file quick_check only for a file this program cannot vouch for: one it
did not close itself, or that changed since (another computer, a copy). A ledger exactly as we
closed it skips it (0.25 s on the ten-year ledger, docs/performance-store.md)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing

import pytest

from desktop.store import errors, recovery
from desktop.store.ledger import Ledger
from desktop.store.models import Committee

pytestmark = pytest.mark.file_only(reason="the clean-close record of a file (a server keeps its own pages)")


@pytest.fixture
def page_checks(monkeypatch):
    seen: list[bool] = []
    real = recovery.verify_structure

    def spy(db, path, version, *, pages=True):
        seen.append(pages)
        return real(db, path, version, pages=pages)

    monkeypatch.setattr("desktop.store.ledger.verify_structure", spy)
    return seen


def test_only_files_we_cannot_vouch_for_get_the_page_check(tmp_path, page_checks):
    path = tmp_path / "台账.zhibu"
    with Ledger.open(path, create=True) as ledger, ledger.write() as s:
        s.add(Committee(name="机关党委"))
    Ledger.open(path).close()  # exactly as we closed it
    with closing(sqlite3.connect(path)) as db:  # another program (computer) changes it
        db.execute("UPDATE committee SET name = '别处改过'")
        db.commit()
    Ledger.open(path).close()
    shutil.copyfile(path, tmp_path / "副本.zhibu")
    Ledger.open(tmp_path / "副本.zhibu").close()  # a copy: a different file
    Ledger.open(path).close()
    assert page_checks == [False, True, True, False]


def test_a_damaged_file_is_not_vouched_for_after_a_refusal(tmp_path, page_checks):
    path = tmp_path / "台账.zhibu"
    Ledger.open(path, create=True).close()
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP TABLE speech")
        db.commit()
    for _ in range(2):
        with pytest.raises(errors.CorruptFile):
            Ledger.open(path)
    assert page_checks == [True, True]
