"""``zhibu push FILE URL`` and ``zhibu pull URL FILE --branch B``: a branch file onto the server,
and one branch out of the server as a file to carry.

- push: the file's whole ledger (every record, tombstones, the change history of the merge work)
  goes into an EMPTY server database in one transaction, through the same dump and validation as
  ``zhibu dump`` / ``zhibu load`` (so the server then dumps byte-identical JSON). Into a database
  that already holds a ledger the file is merged instead (desktop.services.merge.onserver).
- pull: the server's dump cut down to one branch — the branch's groups, members (and the members its
  records name: attendance, posts, celebrants), their membership periods, posts, meetings with
  everything in them, drafts, birthday events, probation events — plus what every branch shares (the
  committee, the other branches' and groups' names that those rows point at, settings, agenda
  templates, 整改清单) and the change history of the records kept. Written as a new file (refused if
  it exists), validated like any load: a cut that would leave a dangling reference is refused.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from desktop.domain.errors import DomainValidationError
from desktop.store import errors

from .dumpload import LoadResult, dump_ledger, load_ledger

MEETING_CHILDREN = ("agenda_item", "speech", "motion", "attendance", "guest", "attachment", "reopening")
SHARED = ("committee", "setting", "agenda_template", "campaign", "rect_category", "problem", "measure",
          "progress_entry", "ledger_copy")


def _dump(source) -> dict:
    out = io.StringIO()
    dump_ledger(source, out)
    return json.loads(out.getvalue())


def push(file: Path | str, url: str) -> LoadResult:
    """The file's ledger into the empty database at ``url`` (a ledger there: FileExists, untouched;
    merge into it with desktop.services.merge.onserver.prepare_push)."""
    return load_ledger(_dump(Path(file)), url)


def _branch_id(tables: dict, branch: str) -> str:
    rows = [r for r in tables.get("branch", []) if r["deleted_at"] is None]
    for r in rows:
        if branch in (r["id"], r["name"]):
            return r["id"]
    raise DomainValidationError("党支部", f"没有名为“{branch}”的党支部（现有：{'、'.join(r['name'] for r in rows)}）")


def branch_only(data: dict, branch: str) -> dict:
    """The dump ``data`` cut down to one branch (see the module docstring)."""
    t = data["tables"]
    b = _branch_id(t, branch)
    keep: dict[str, list] = {name: list(t.get(name, [])) for name in SHARED}
    meetings = {r["id"] for r in t.get("meeting", []) if r["branch_id"] == b}
    probation = [r for r in t.get("probation_event", [])]
    extra_meetings = {r["meeting_id"] for r in probation if r.get("meeting_id")}
    members = {r["id"] for r in t.get("member", []) if r["branch_id"] == b}
    members |= {r["member_id"] for r in t.get("membership", []) if r["branch_id"] == b}
    members |= {r["member_id"] for r in t.get("post_holding", []) if r["branch_id"] == b}
    members |= {r["member_id"] for r in t.get("attendance", []) if r["meeting_id"] in meetings}
    events = {r["id"] for r in t.get("birthday_event", []) if r.get("branch_id") in (b, None)}
    members |= {r["member_id"] for r in t.get("celebrant", []) if r["event_id"] in events}
    probation = [r for r in probation if r["member_id"] in members]
    meetings |= {r["meeting_id"] for r in probation if r.get("meeting_id")} & extra_meetings
    member_rows = [r for r in t.get("member", []) if r["id"] in members]
    branches = {b} | {r["branch_id"] for r in member_rows if r["branch_id"]}
    branches |= {r["branch_id"] for r in t.get("meeting", []) if r["id"] in meetings}
    groups = {r["group_id"] for r in member_rows if r.get("group_id")}
    keep["branch"] = [r for r in t.get("branch", []) if r["id"] in branches]
    keep["party_group"] = [r for r in t.get("party_group", []) if r["branch_id"] == b or r["id"] in groups]
    groups |= {r["id"] for r in keep["party_group"]}
    keep["member"] = member_rows
    keep["membership"] = [r for r in t.get("membership", []) if r["member_id"] in members and r["branch_id"] in branches]
    keep["post_holding"] = [r for r in t.get("post_holding", []) if r["branch_id"] == b]
    keep["meeting"] = [r for r in t.get("meeting", []) if r["id"] in meetings]
    for name in MEETING_CHILDREN:
        keep[name] = [r for r in t.get(name, []) if r["meeting_id"] in meetings]
    keep["meeting_draft"] = [r for r in t.get("meeting_draft", []) if r.get("branch_id") == b
                             or (r.get("meeting_id") and r["meeting_id"] in meetings)]
    keep["birthday_event"] = [r for r in t.get("birthday_event", []) if r["id"] in events]
    keep["celebrant"] = [r for r in t.get("celebrant", []) if r["event_id"] in events]
    keep["probation_event"] = probation
    kept_ids = {r["id"] for rows in keep.values() for r in rows if "id" in r}
    keep["change"] = [r for r in t.get("change", []) if r["record_id"] in kept_ids]
    sets = {r["set_id"] for r in keep["change"]}
    keep["change_set"] = [r for r in t.get("change_set", []) if r["id"] in sets]
    ordered = {name: keep.get(name, []) for name in t}  # the dump's table order (parents first)
    return {**data, "tables": ordered}


def with_current_copy(data: dict, place: str, *, snapshot: bool = False) -> tuple[dict, str | None]:
    """A server's dump as a file needs exactly one current copy (the history's "this copy"). A
    server that was not made by ``push`` has none (each database user is a copy, never current):
    a pulled file gets a new copy (另存副本, made from the user's copy, bound to its place at the
    first write); a merge's snapshot is the pushing user's own copy on this database (``place``:
    ``ServerLedger.user_place``; made here if that user never wrote there: its id is returned, the
    server lacks it). Returns the data and that id."""
    from desktop.store.base import utcnow
    from desktop.store.history import CopyOrigin, is_user_copy, place_database, read_place, storage_text

    from .ledger_format import storage_to_json

    copies = data["tables"].get("ledger_copy", [])
    if not copies or any(c["current"] for c in copies):
        return data, None
    user, database = read_place(place)[1], place_database(place) or None
    own = next((c for c in copies if is_user_copy(c["place"], database, user)), None)
    if snapshot and own is not None:
        own["current"] = True
        return data, None
    import uuid

    new = {"id": str(uuid.uuid4()), "made_at": storage_to_json("datetime", storage_text(utcnow())),
           "origin": CopyOrigin.SERVER_USER if snapshot else CopyOrigin.SAVED_AS,
           "parent_id": None if snapshot or own is None else own["id"], "place": place if snapshot else "",
           "current": True}  # fmt: skip
    data["tables"]["ledger_copy"] = [*copies, {k: new[k] for k in copies[0]}]
    return data, new["id"] if snapshot else None


def pull(source, file: Path | str, branch: str | None) -> LoadResult:
    """``source`` (a server URL or an open server ledger) as a new file: one branch, or the whole
    ledger when ``branch`` is None (文件 › 另存副本 on a server). Read in one snapshot."""
    dest = Path(file)
    if dest.exists():
        raise errors.FileExists(dest, f"文件已存在：{dest}。")
    if isinstance(source, str):
        from desktop.store.opening import open_ledger

        with open_ledger(source) as ledger:
            return pull(ledger, dest, branch)
    data, _ = with_current_copy(_dump(source), source.user_place)
    return load_ledger(branch_only(data, branch) if branch else data, dest)
