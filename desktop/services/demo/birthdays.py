"""The July 2026 collective 政治生日 (seed: 6月28日为7月份入党的同志集体过政治生日)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from desktop.store.models import BirthdayEvent, Celebrant

from .org import Org
from .people import PEOPLE, TRANSFER_OUT

EVENT_DATE = date(2026, 6, 29)
ACTIVITIES = ("重温入党誓词", "观看《初心永恒》张富清先进事迹视频", "党员代表讲述初心故事", "赠送政治生日贺卡并寄语")
MESSAGES = {
    "tonglx": "光荣在党五十年，初心如磐。望您保重身体，继续为年轻党员讲好规划分局的创业故事。",
    "chenlq": "入党三十年，始终冲在土地要素保障一线。愿您继续带好支部，把党建和业务融为一体。",
    "fangzq": "测绘事业一丝不苟，党员本色一以贯之。愿您在“一张图”建设中再立新功。",
    "qiuxm": "入党五周年，青春在规划所一线闪光。愿你学思践悟，做有担当的自然先锋。",
}


def build_birthday_event(session: Session, org: Org) -> str:
    july = [p for p in PEOPLE if p.join.month == 7 and p.key != TRANSFER_OUT[0] and p.join.year < 2026]
    event = BirthdayEvent(
        branch_id=None, date=EVENT_DATE, title="7月份入党党员集体政治生日", place="分局三楼党员活动室",
        activities="\n".join(ACTIVITIES),
        notes="机关党委以“过政治生日、讲初心故事”为主题组织；童立新同志讲述初心故事，并为其颁发“光荣在党50年”纪念章。",
    )
    event.celebrants = [
        Celebrant(member_id=org.members[p.key],
                  message=MESSAGES.get(p.key, "不忘入党初心，牢记党员身份，在本职岗位上作表率。"))
        for p in july
    ]
    session.add(event)
    session.flush()
    return event.id
