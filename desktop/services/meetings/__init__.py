"""三会一课 use cases: list and search, record, pre-check, finalize/reopen, attachments, autosave.

Importing this package also registers the search-index hooks (desktop.services.search), so every
write that touches a meeting keeps the index in step in the same transaction.
"""

from desktop.domain.precheck import Finding

from .. import search as _search  # noqa: F401  (registers the index hooks)
from .attachments import add_attachment, attachment_data, remove_attachment, save_attachment_as
from .checks import check_record, finalize_meeting, precheck_branch_year, precheck_meeting
from .data import (
    MAX_ATTACHMENT_BYTES,
    AttachmentInfo,
    AttendanceData,
    DraftInfo,
    FinalizeResult,
    GuestData,
    MeetingDetail,
    MeetingInput,
    MeetingRow,
    MotionData,
    RecordFinding,
    ReopeningInfo,
    SpeechData,
)
from .drafts import discard_draft, input_from_json, input_to_json, list_drafts, load_draft, save_draft
from .editing import delete_meeting, new_meeting, reopen_meeting, roster_for, save_meeting
from .listing import (
    count_meetings,
    ensure_search_index,
    get_meeting,
    list_meetings,
    meeting_rows,
    next_number,
    search_index_current,
)
from .templates import get_agenda_template, save_agenda_template, save_agenda_templates, template_lines

__all__ = [
    "meeting_rows",
    "Finding", "add_attachment", "attachment_data", "remove_attachment", "save_attachment_as",
    "check_record", "finalize_meeting", "precheck_branch_year", "precheck_meeting",
    "MAX_ATTACHMENT_BYTES", "AttachmentInfo", "AttendanceData", "DraftInfo",
    "FinalizeResult", "GuestData", "MeetingDetail", "MeetingInput", "MeetingRow", "MotionData",
    "RecordFinding", "ReopeningInfo", "SpeechData",
    "discard_draft", "input_from_json", "input_to_json", "list_drafts", "load_draft", "save_draft",
    "delete_meeting", "get_agenda_template", "new_meeting", "reopen_meeting", "roster_for",
    "save_agenda_template", "save_agenda_templates", "save_meeting", "template_lines",
    "count_meetings", "ensure_search_index", "search_index_current", "get_meeting", "list_meetings", "next_number",
]  # fmt: skip
