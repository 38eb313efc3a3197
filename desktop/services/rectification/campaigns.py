"""主题教育 campaigns (整改清单): list, edit, delete and restore."""

from __future__ import annotations

from desktop.domain.dates import parse_optional_date
from desktop.domain.errors import ErrorCollector
from desktop.domain.text import clean_line, clean_text
from desktop.store.models import Branch, Campaign
from desktop.store.queries import live

from ..conflicts import check_version
from .records import (
    CampaignInput,
    CampaignRow,
    _branch_names,
    _campaign_row,
    _get,
)


def list_campaigns(ledger) -> list[CampaignRow]:
    """Live campaigns, newest year first."""
    with ledger.read() as s:
        names = _branch_names(s)
        rows = s.scalars(live(Campaign).order_by(Campaign.year.desc(), Campaign.start_date.desc(), Campaign.name))
        return [_campaign_row(c, names) for c in rows]


def get_campaign(ledger, campaign_id: str) -> CampaignRow:
    with ledger.read() as s:
        return _campaign_row(_get(s, Campaign, campaign_id, "主题教育活动"), _branch_names(s))


def save_campaign(ledger, data: CampaignInput) -> str:
    errs = ErrorCollector()
    name = clean_line(data.name)
    if not name:
        errs.add("活动名称", "不能为空，例如“学习贯彻新时代中国特色社会主义思想主题教育”")
    if not 1921 <= int(data.year or 0) <= 2100:
        errs.add("年度", f"“{data.year}”不是有效年份")
    start = end = None
    with errs.check():
        start = parse_optional_date(data.start_date, "开始日期")
    with errs.check():
        end = parse_optional_date(data.end_date, "结束日期")
    if start and end and end < start:
        errs.add("结束日期", "早于开始日期")
    errs.raise_if_any()
    with ledger.write() as s:
        check_version(s, Campaign, data.id, data.version, "主题教育活动")
        if data.branch_id:
            _get(s, Branch, data.branch_id, "支部")
        c = _get(s, Campaign, data.id, "主题教育活动") if data.id else Campaign()
        c.name, c.year, c.branch_id = name, int(data.year), data.branch_id or None
        c.start_date, c.end_date, c.description = start, end, clean_text(data.description)
        s.add(c)
        s.flush()
        return c.id


def delete_campaign(ledger, campaign_id: str, version: int | None = None) -> None:
    with ledger.write() as s:
        check_version(s, Campaign, campaign_id, version, "主题教育活动")
        _get(s, Campaign, campaign_id, "主题教育活动").tombstone()
