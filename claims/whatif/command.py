"""``whatif --scenario FILE.json [--from YYYY-MM] [--to YYYY-MM] [--format json]``
(shared/cli.md): the scenario's figures beside the actual ones, per month and
industry. Reads only: the database is unchanged by a run."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import ClaimsError
from ..i18n import _
from ..money import fen_to_str


def money(fen: int) -> str:
    return fen_to_str(fen)


def json_lines(res) -> list[dict]:
    """One object per month and industry (the contract's keys first)."""
    return [{"month": c.month, "industry": c.industry, "orders": c.orders, "fees_actual": money(c.fees_actual),
             "fees_scenario": money(c.fees_scenario), "benefits_actual": money(c.benefits_actual),
             "benefits_scenario": money(c.benefits_scenario), "orders_recorded": c.orders_recorded,
             "workers": c.workers, "payments": c.payments} for c in res.by_month_industry()]


def cmd_whatif(args) -> int:
    from ..cli import cli_actor, open_store, out
    from . import describe, parse_text, run
    path = Path(args.scenario)
    try:
        text = sys.stdin.read() if args.scenario == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ClaimsError(_("无法读取方案文件 {p}：{e}").format(p=args.scenario, e=getattr(e, "strerror", None) or e)) \
            from None
    sc = parse_text(text)
    for key, value in (("--from", args.month_from), ("--to", args.month_to)):
        if value is not None:
            from ..stats.periods import check_month
            try:
                check_month(value.strip())
            except ClaimsError:
                raise ClaimsError(_("{k}：“{v}”应为月份 YYYY-MM").format(k=key, v=value)) from None
    s = open_store(args)
    res = run(s, sc, args.month_from and args.month_from.strip(), args.month_to and args.month_to.strip(),
              actor=cli_actor())
    if args.format == "json":
        for row in json_lines(res):
            out(json.dumps(row, ensure_ascii=False))
        return 0
    names = res.industries
    out(_("政策测算：{n}（{a} 至 {b}）").format(n=sc.name or _("未命名方案"), a=res.months[0], b=res.months[-1]))
    for line in describe(sc):
        out("  · " + line)
    out("\t".join([_("月份"), _("行业"), _("申报单量"), _("实际应缴"), _("测算应缴"), _("实际待遇"), _("测算待遇")]))
    for c in res.by_month_industry():
        out("\t".join([c.month, names.get(c.industry, c.industry), f"{c.orders:,}", money(c.fees_actual),
                       money(c.fees_scenario), money(c.benefits_actual), money(c.benefits_scenario)]))
    fa, fs = res.total("fees_actual"), res.total("fees_scenario")
    ba, bs = res.total("benefits_actual"), res.total("benefits_scenario")
    out("\t".join([_("合计"), "", f"{res.total('orders'):,}", money(fa), money(fs), money(ba), money(bs)]))
    out(_("涉及人员（其订单按方案计费不同）：{w:,} 人；待遇不同的案件：{c} 件").format(w=res.workers_affected,
                                                                    c=res.cases_affected))
    for n in res.notes:
        out(_("注：") + n)
    return 0
