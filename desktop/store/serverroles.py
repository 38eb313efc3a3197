"""Who may change what on a server ledger, enforced by the database itself.

Two group roles (``NOLOGIN``); a person logs in with their own role, made a member of one:

- ``zhibu_committee`` — the committee's office: reads everything, writes nothing (SELECT only);
- ``zhibu_secretary`` — a branch's secretary: reads everything, writes the records of the branches
  listed for them in ``zhibu_branch_role`` (role name → branch id): the branch itself, its groups,
  members, memberships, posts, meetings (and their agenda, speeches, motions, attendance, guests,
  attachments, reopenings), drafts, birthday events, probation events and celebrants. Committee-wide
  records (机关党委, 整改清单, settings, agenda templates) are the owner's (the administrator who
  loaded the ledger). The change history, the change counter and the derived search tables are
  written by every writer.

Enforcement, all in the database: GRANTs per table; row-level security on every branch-scoped table
(SELECT for both roles; INSERT and UPDATE ``WITH CHECK`` the new row is in one of your branches);
and a ``BEFORE UPDATE OR DELETE`` trigger refusing to touch a row that is *not* yours (row-level
security cannot see the old row of an UPDATE: without it a secretary could move another branch's
record into their own). A refused write is SQLSTATE 42501, which the program shows as
:class:`~desktop.store.errors.PermissionDenied`. The owner (who runs :func:`install`) is not
restricted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Connection

COMMITTEE = "zhibu_committee"
SECRETARY = "zhibu_secretary"

MINE = "(SELECT r.branch_id FROM zhibu_branch_role r WHERE r.role_name = current_user)"
# table → SQL of "this row's branch" over a row alias (NEW/OLD in the trigger, the table in policies)
SCOPED: dict[str, str] = {
    "branch": "{r}.id",
    "party_group": "{r}.branch_id",
    "member": "{r}.branch_id",
    "membership": "{r}.branch_id",
    "post_holding": "{r}.branch_id",
    "meeting": "{r}.branch_id",
    "meeting_draft": "{r}.branch_id",
    "birthday_event": "{r}.branch_id",
    **{t: "(SELECT m.branch_id FROM meeting m WHERE m.id = {r}.meeting_id)"
       for t in ("agenda_item", "speech", "motion", "attendance", "guest", "attachment", "reopening")},
    **{t: "(SELECT m.branch_id FROM member m WHERE m.id = {r}.member_id)" for t in ("probation_event", "celebrant")},
}
SHARED_WRITES = ("ledger_copy", "change_set", "change", "zhibu_change_log", "meeting_search", "meeting_text",
                 "meeting_fts", "meeting_index_v2")


def _guard_function() -> str:
    branches = []
    for t, expr in SCOPED.items():
        old = expr.format(r="OLD")
        branches.append(f"  IF TG_TABLE_NAME = '{t}' THEN b := {old}; END IF;")
    body = "\n".join(branches)
    return f"""
CREATE OR REPLACE FUNCTION zhibu_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE b TEXT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
                 JOIN pg_roles u ON u.oid = am.member
                 WHERE g.rolname = '{SECRETARY}' AND u.rolname = current_user) THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
{body}
  IF b IS NULL OR b NOT IN {MINE} THEN
    RAISE EXCEPTION '台账服务器：% 不能修改其他支部的记录（%）', current_user, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN COALESCE(NEW, OLD);
END $fn$
"""


def install(conn: Connection) -> None:
    """Create the roles, grants, policies and guard triggers (idempotent; run as the owner, after
    the derived search tables exist: desktop.services.server_roles does both)."""
    for role in (COMMITTEE, SECRETARY):
        conn.execute(text(f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
    conn.execute(text("CREATE TABLE IF NOT EXISTS zhibu_branch_role (role_name TEXT NOT NULL,"
                      " branch_id VARCHAR(36) NOT NULL REFERENCES branch (id), PRIMARY KEY (role_name, branch_id))"))
    tables = set(conn.execute(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")).scalars())
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    for role in (COMMITTEE, SECRETARY):
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}'))
        conn.execute(text(f'GRANT SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}'))  # pg_dump reads them
    conn.execute(text(f"REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"{schema}\" FROM {COMMITTEE}"))
    conn.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO {SECRETARY}'))
    conn.execute(text(f"GRANT UPDATE ON zhibu_meta TO {SECRETARY}"))
    for t in SHARED_WRITES:
        if t in tables:
            conn.execute(text(f'GRANT INSERT, UPDATE, DELETE ON "{t}" TO {SECRETARY}'))
    conn.execute(text(_guard_function()))
    for t, expr in SCOPED.items():
        if t not in tables:
            continue
        conn.execute(text(f'GRANT INSERT, UPDATE, DELETE ON "{t}" TO {SECRETARY}'))
        conn.execute(text(f'ALTER TABLE "{t}" ENABLE ROW LEVEL SECURITY'))
        mine = f"{expr.format(r=t)} IN {MINE}"
        for name, sql in (
            ("zhibu_read", f'CREATE POLICY zhibu_read ON "{t}" FOR SELECT TO {COMMITTEE}, {SECRETARY} USING (true)'),
            ("zhibu_insert", f'CREATE POLICY zhibu_insert ON "{t}" FOR INSERT TO {SECRETARY} WITH CHECK ({mine})'),
            ("zhibu_update", f'CREATE POLICY zhibu_update ON "{t}" FOR UPDATE TO {SECRETARY} USING (true) WITH CHECK ({mine})'),
            ("zhibu_delete", f'CREATE POLICY zhibu_delete ON "{t}" FOR DELETE TO {SECRETARY} USING (true)'),
        ):
            conn.execute(text(f'DROP POLICY IF EXISTS {name} ON "{t}"'))
            conn.execute(text(sql))
        conn.execute(text(f'DROP TRIGGER IF EXISTS zhibu_guard ON "{t}"'))
        conn.execute(text(f'CREATE TRIGGER zhibu_guard BEFORE UPDATE OR DELETE ON "{t}"'
                          " FOR EACH ROW EXECUTE FUNCTION zhibu_guard()"))


def _role_exists(conn: Connection, role: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def _ident(role: str) -> str:
    return '"' + role.replace('"', '""') + '"'


def make_committee(conn: Connection, role: str) -> None:
    """``role`` (made a login role when missing; its password is the administrator's business)
    reads the whole ledger and writes nothing."""
    if not _role_exists(conn, role):
        conn.execute(text(f"CREATE ROLE {_ident(role)} LOGIN"))
    conn.execute(text(f"GRANT {COMMITTEE} TO {_ident(role)}"))


def make_secretary(conn: Connection, role: str, branch_id: str) -> None:
    """``role`` writes the records of branch ``branch_id`` (several calls: several branches)."""
    if not _role_exists(conn, role):
        conn.execute(text(f"CREATE ROLE {_ident(role)} LOGIN"))
    conn.execute(text(f"GRANT {SECRETARY} TO {_ident(role)}"))
    conn.execute(text("INSERT INTO zhibu_branch_role (role_name, branch_id) VALUES (:r, :b) ON CONFLICT DO NOTHING"),
                 {"r": role, "b": branch_id})


@dataclass(frozen=True)
class LoginRights:
    """What ``zhibu roles`` lets the connected login change: ``owner`` (no roles set up, or a login
    in neither group: the database's own grants decide), ``office`` (the committee: reads all),
    or ``secretary`` of ``branches`` (id → name)."""

    role: str = "owner"
    branches: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, conn: Connection) -> LoginRights:
        if conn.execute(text("SELECT to_regclass('zhibu_branch_role')")).scalar() is None:
            return cls()  # no roles set up in this database (the group roles are the whole cluster's)
        groups = set(conn.execute(text(
            "SELECT g.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid"
            " JOIN pg_roles u ON u.oid = am.member WHERE u.rolname = current_user")).scalars())
        if COMMITTEE in groups:
            return cls("office")
        if SECRETARY in groups:
            return cls("secretary", dict(conn.execute(text(
                "SELECT b.id, b.name FROM zhibu_branch_role r JOIN branch b ON b.id = r.branch_id"
                " WHERE r.role_name = current_user ORDER BY b.name")).all()))
        return cls()

    @property
    def read_only(self) -> bool:
        """The login may change nothing: the office, or a secretary given no branch."""
        return self.role == "office" or (self.role == "secretary" and not self.branches)

    @property
    def writable_branches(self) -> frozenset[str] | None:
        """The ids of the branches a secretary may change; None for a login not limited to branches."""
        return frozenset(self.branches) if self.role == "secretary" else None

    @property
    def branch_names(self) -> str:
        return "、".join(self.branches.values())

    @property
    def access(self) -> str:
        """Said in the status bar: 只读… for the office, 可修改：… for a secretary, "" for the owner."""
        if self.role == "office":
            return "只读：可查看各支部，不能修改"
        if self.role == "secretary":
            return f"可修改：{self.branch_names}" if self.branches else "只读：没有指定可修改的党支部"
        return ""
