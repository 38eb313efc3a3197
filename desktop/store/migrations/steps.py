"""The upgrade steps, frozen: step N turns a schema-N file into a schema-(N+1) file.

Each step is plain SQL written against the schema it starts from, never generated from the
current models, so that a later model change cannot alter what an old step does. A step runs
inside the upgrade's single transaction (SQLite DDL is transactional) and must not COMMIT.

Adding a schema version: bump ``SCHEMA_VERSION`` in ``desktop/store/header.py``, add the step
here, commit a real ledger of the previous version under ``tests/fixtures/`` and a test that
upgrades it (see docs/file-format.md, "Schema versions").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .step_posts import step_4_to_5

Step = Callable[[sqlite3.Connection], None]

STEP_1_TO_2 = """
CREATE TABLE agenda_template (
	kind VARCHAR(20) NOT NULL,
	items TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_agenda_template PRIMARY KEY (id),
	CONSTRAINT uq_agenda_template_kind UNIQUE (kind)
);
CREATE TABLE meeting_draft (
	meeting_id VARCHAR(36),
	branch_id VARCHAR(36),
	saved_at DATETIME NOT NULL,
	payload TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_meeting_draft PRIMARY KEY (id),
	CONSTRAINT fk_meeting_draft_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id),
	CONSTRAINT fk_meeting_draft_branch_id_branch FOREIGN KEY(branch_id) REFERENCES branch (id)
);
CREATE INDEX ix_meeting_draft_meeting_id ON meeting_draft (meeting_id);
ALTER TABLE member ADD COLUMN job_title VARCHAR(100) NOT NULL DEFAULT '';
"""

STEP_2_TO_3 = """
ALTER TABLE branch ADD COLUMN ledger_start DATE;
ALTER TABLE branch ADD COLUMN start_numbers TEXT NOT NULL DEFAULT '{}';
CREATE TABLE probation_event (
	member_id VARCHAR(36) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	on_date DATE NOT NULL,
	meeting_id VARCHAR(36),
	new_end DATE,
	reason TEXT NOT NULL,
	id VARCHAR(36) NOT NULL,
	version INTEGER NOT NULL,
	modified_at DATETIME NOT NULL,
	deleted_at DATETIME,
	CONSTRAINT pk_probation_event PRIMARY KEY (id),
	CONSTRAINT fk_probation_event_member_id_member FOREIGN KEY(member_id) REFERENCES member (id),
	CONSTRAINT fk_probation_event_meeting_id_meeting FOREIGN KEY(meeting_id) REFERENCES meeting (id)
);
CREATE INDEX ix_probation_event_member_id ON probation_event (member_id);
"""

STEP_3_TO_4 = """
CREATE TABLE ledger_copy (
	id VARCHAR(36) NOT NULL,
	made_at DATETIME NOT NULL,
	origin VARCHAR(10) NOT NULL,
	parent_id VARCHAR(36),
	place TEXT NOT NULL,
	current BOOLEAN NOT NULL,
	CONSTRAINT pk_ledger_copy PRIMARY KEY (id)
);
CREATE TABLE change_set (
	id INTEGER NOT NULL,
	uid VARCHAR(36) NOT NULL,
	copy_id VARCHAR(36) NOT NULL,
	at DATETIME NOT NULL,
	program VARCHAR(20) NOT NULL,
	note TEXT NOT NULL,
	CONSTRAINT pk_change_set PRIMARY KEY (id),
	CONSTRAINT uq_change_set_uid UNIQUE (uid),
	CONSTRAINT fk_change_set_copy_id_ledger_copy FOREIGN KEY(copy_id) REFERENCES ledger_copy (id)
);
CREATE TABLE change (
	record_id VARCHAR(36) NOT NULL,
	set_id INTEGER NOT NULL,
	field VARCHAR(40) NOT NULL,
	tbl VARCHAR(20) NOT NULL,
	old TEXT,
	new TEXT,
	version INTEGER NOT NULL,
	CONSTRAINT pk_change PRIMARY KEY (record_id, set_id, field),
	CONSTRAINT fk_change_set_id_change_set FOREIGN KEY(set_id) REFERENCES change_set (id)
) WITHOUT ROWID
"""


def _run_script(sql: str) -> Step:
    def step(db: sqlite3.Connection) -> None:
        # executescript would COMMIT first; run statement by statement inside our transaction
        for statement in (s.strip() for s in sql.split(";")):
            if statement:
                db.execute(statement)

    return step


# from_version -> step to from_version + 1
STEPS: dict[int, Step] = {
    1: _run_script(STEP_1_TO_2),
    2: _run_script(STEP_2_TO_3),
    3: _run_script(STEP_3_TO_4),
    4: step_4_to_5,  # 党内职务 becomes post holdings; member.party_post dropped
}

# What each version added: (tables, (table, column) pairs). ``zhibu check`` uses it to tell an
# older file's missing parts (fine: added by the upgrade) from damage.
ADDED: dict[int, tuple[frozenset[str], frozenset[tuple[str, str]]]] = {
    2: (frozenset({"meeting_draft", "agenda_template"}), frozenset({("member", "job_title")})),
    3: (frozenset({"probation_event"}), frozenset({("branch", "ledger_start"), ("branch", "start_numbers")})),
    4: (frozenset({"ledger_copy", "change_set", "change"}), frozenset()),
}


def added_in(version: int) -> tuple[set[str], set[tuple[str, str]]]:
    """Tables and columns that schemas newer than ``version`` added."""
    tables: set[str] = set()
    columns: set[tuple[str, str]] = set()
    for v, (t, c) in ADDED.items():
        if v > version:
            tables |= t
            columns |= c
    return tables, columns
