"""``report monthly --month YYYY-MM -o OUT.pdf``: the monthly report, headless.

The forms module is injected (claims never imports forms): ``renderer`` is
the callable ``main.py`` hands to every printing command. Called with a name
it returns ``forms.<name>``; called with none it returns ``forms.render``, and
the report module is then found beside it.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Callable

from .errors import ClaimsError
from .i18n import _
from .savefile import save_bytes


def report_module(renderer: Callable):
    try:
        return renderer("monthly_report")
    except TypeError:  # a renderer that takes no name: forms.render, the report module is its sibling
        mod = renderer()
        if hasattr(mod, "render_monthly_report"):
            return mod
        return importlib.import_module(mod.__name__.rpartition(".")[0] + ".monthly_report")


def cmd_report(args, renderer: Callable) -> int:
    from .cli import cli_actor, open_store, out
    from .stats import check_month

    if getattr(args, "kind", "monthly") != "monthly":
        raise ClaimsError(_("未知的报表“{k}”（可用：monthly）").format(k=args.kind))
    month = check_month((args.month or "").strip())
    region = (getattr(args, "region", None) or "").strip() or None
    if region and (len(region) != 6 or not region.isdigit()):
        raise ClaimsError(_("--region：“{r}”应为六位地区代码").format(r=region))
    s = open_store(args)
    actor = cli_actor()
    if s.stats_pending():
        print(_("正在更新统计汇总…"), file=sys.stderr)
    report = s.monthly_report(month, actor, region=region)
    from .printing import record_report, printer_name
    pdf, pages = record_report(s, report_module(renderer), report, actor, printer_name(s, actor))
    dest = save_bytes(Path(args.output), pdf)
    out(_("已输出 {p}（{n} 页，{m} 运行分析月报）").format(p=dest, n=pages, m=month))
    return 0
