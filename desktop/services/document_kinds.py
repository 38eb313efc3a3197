"""The printable document kinds: one registry read by the export service, the 导出打印 page and
``zhibu export``.

Each :class:`DocumentKind` names its builder (``module:function``, imported when a document is
built, so the command line starts without loading the document code), the Chinese label and
description the page shows, and the filters it takes:

- ``branch``, ``year``, ``campaign``, ``reveal`` (show full ID numbers), ``signin`` (the ledger
  binds each meeting's sign-in sheet), ``drafts`` (the ledger binds drafts, marked, or leaves
  them out): one option each;
- ``period``: a whole year, a quarter or a month. ``period_as_dates``: the kind selects records
  by date, so the period is passed as ``date_from``/``date_to``; otherwise as ``quarter`` /
  ``month``. ``whole_year`` False: the kind has no 全年 choice (one month or quarter at a time).

Adding a kind: write its builder (``builder(ledger, filters, cancel) -> list[Document]``) and
``register`` it here; the page's list, the CLI's choices and the export service follow.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FILTERS = ("branch", "year", "period", "campaign", "reveal", "signin", "drafts")


@dataclass(frozen=True)
class DocumentKind:
    name: str  # what the CLI and the services call it
    label: str  # Chinese, as the page lists it
    description: str  # Chinese, shown under the list
    builder: str  # "module:function"
    filters: tuple[str, ...] = ()
    period_as_dates: bool = False
    whole_year: bool = True

    def build(self, ledger: Any, filters: Any, cancel: Callable[[], bool] | None) -> list:
        module, _, func = self.builder.partition(":")
        return getattr(importlib.import_module(module), func)(ledger, filters, cancel)

    def takes(self, name: str) -> bool:
        return name in self.filters


_REGISTRY: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if kind.name in _REGISTRY:
        raise ValueError(f"document kind {kind.name!r} is already registered")
    unknown = set(kind.filters) - set(FILTERS)
    if unknown:
        raise ValueError(f"document kind {kind.name!r}: unknown filters {sorted(unknown)}")
    _REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def document_kinds() -> list[DocumentKind]:
    return list(_REGISTRY.values())


def document_kind_names() -> list[str]:
    return list(_REGISTRY)


def find_document_kind(name: str) -> DocumentKind | None:
    return _REGISTRY.get(name)


_E = "desktop.services.export"
_PERIOD = ("branch", "year", "period")
register(DocumentKind(
    "minutes", "会议记录",
    "每次会议一份完整记录：时间、地点、主持人、记录人、应到实到、缺席人员及原因、议题、发言、表决和决议，"
    "下方留主持人、记录人签字行。按所选期间导出全部会议。", f"{_E}:_minutes", _PERIOD, period_as_dates=True))
register(DocumentKind(
    "signin", "签到表", "会议签到表：按会议当天的党员名单列出，留签名栏，开会前打印。", f"{_E}:_signin", _PERIOD,
    period_as_dates=True))
register(DocumentKind(
    "ledger", "三会一课台账", "三会一课台账：一个支部一年的全部会议汇总成册，带封面和目录，页码连续。可附每次会议的"
    "签到表；尚未定稿的记录可以收入（标注“草稿”）或不收入。", f"{_E}:_ledger", ("branch", "year", "signin", "drafts")))
register(DocumentKind(
    "compliance", "三会一课落实情况统计表", "三会一课落实情况统计表：按月份和会议类型列出应开、已开、缺开。",
    f"{_E}:_compliance", _PERIOD))
register(DocumentKind(
    "committee_compliance", "三会一课落实情况汇总表（全委）",
    "机关党委全部党支部的三会一课落实情况：每个支部一行，按会议类型列出已开/应开、缺开和落实率，附未落实事项。",
    "desktop.services.committee_stats:build_committee_compliance", ("year", "period")))
register(DocumentKind(
    "rectification", "整改清单", "主题教育整改清单（整改台账）：问题、措施、责任人、时限、进展和状态，横向打印。",
    f"{_E}:_rectification", ("campaign",)))
register(DocumentKind(
    "birthdays", "政治生日名册", "政治生日名册：所选月份或季度入党的党员，含入党日期、党龄和第几个政治生日。",
    f"{_E}:_birthdays", _PERIOD, whole_year=False))
register(DocumentKind(
    "cards", "政治生日贺卡", "政治生日贺卡：每人一页，印有入党誓词和寄语。", f"{_E}:_cards", _PERIOD, whole_year=False))
register(DocumentKind(
    "roster", "党员名册", "党员名册：在册党员的基本信息。身份证号默认打码。", f"{_E}:_roster", ("branch", "reveal")))
