"""复发 (relapse): a closed case reopened for the injury's return pays medical
benefits only — the items of the rule set's injury outcome (医疗费, 住院伙食补助费,
统筹地区以外就医交通食宿费, and whatever else the rule set lists there, e.g.
康复费, 辅助器具费). A lump sum, a monthly disability or death item, or any
other item belongs to the original case and is never paid again on a relapse
(by analogy with 工伤保险条例 art. 38, which gives a relapse the treatment items only)."""
from __future__ import annotations

from datetime import date

from .i18n import _
from .parameters import ruleset_for


def relapse_items(accident_date: date) -> dict[str, str]:
    """The items a relapse may be assessed with: code -> Chinese name, in the rule set's order."""
    rs = ruleset_for(accident_date)
    return {code: rs.items[code].name for code in rs.outcomes["injury"] if code in rs.items}


def relapse_refusal(items: list[tuple[str, str]], accident_date: date) -> str:
    """'' when every (code, name) item may be paid on a relapse, else the message naming the others."""
    allowed = relapse_items(accident_date)
    bad = list(dict.fromkeys(name for code, name in items if code not in allowed))
    if not bad:
        return ""
    return _("复发案件只支付医疗待遇：{items}不适用（可核定的项目：{ok}）").format(
        items="、".join(bad), ok="、".join(allowed.values()))
