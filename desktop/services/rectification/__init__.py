"""主题教育整改 use cases: campaigns, the category → problem → measure tree, 销号, recycle bin.

Every function opens one transaction and returns plain dataclasses. Deletes are tombstones:
deleting a node hides it and everything under it; the 回收站 is the generic one
(desktop.services.recycle: restoring a node also restores any deleted ancestor).
Overdue / due-soon flags are derived on read (desktop.domain.rectification.measure_flags).
"""

from __future__ import annotations

from desktop.domain.rectification import counts_sentence

from .campaigns import (
    delete_campaign,
    get_campaign,
    list_campaigns,
    save_campaign,
)
from .closing import close_measure, finish_and_close, undo_close
from .editing import add_progress, delete, move, save_category, save_measure, save_problem, validate_measure
from .records import (
    DEFAULT_SOON_DAYS,
    KIND_LABELS,
    KINDS,
    CampaignInput,
    CampaignRow,
    CampaignTree,
    CategoryNode,
    MeasureInput,
    MeasureNode,
    NotFound,
    ProblemInput,
    ProblemNode,
    ProgressRow,
    soon_days_setting,
)
from .tree import campaign_counts, campaign_of, get_campaign_tree, get_measure, get_problem, measure_nodes

__all__ = [
    "CampaignInput",
    "CampaignRow",
    "CampaignTree",
    "CategoryNode",
    "DEFAULT_SOON_DAYS",
    "KINDS",
    "KIND_LABELS",
    "MeasureInput",
    "MeasureNode",
    "NotFound",
    "ProblemInput",
    "ProblemNode",
    "ProgressRow",
    "add_progress",
    "campaign_counts",
    "campaign_of",
    "close_measure",
    "finish_and_close",
    "counts_sentence",
    "delete",
    "delete_campaign",
    "get_campaign",
    "get_campaign_tree",
    "measure_nodes",
    "get_measure",
    "get_problem",
    "list_campaigns",
    "move",
    "save_campaign",
    "save_category",
    "save_measure",
    "save_problem",
    "soon_days_setting",
    "undo_close",
    "validate_measure",
]
