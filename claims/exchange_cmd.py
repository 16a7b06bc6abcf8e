"""The exchange commands of cli.md ("Exchange between sites"): site, site card,
site trust, provision, export, import-package, conflicts."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import ClaimsError
from .private import write_private


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _store(args):
    from .cli import open_store
    return open_store(args)


def _actor():
    from .cli import cli_actor
    return cli_actor()


def _when(at: str | None) -> str:
    return at[:19].replace("T", " ") if at else "—"


def cmd_site(args) -> int:
    s = _store(args)
    if args.action == "card":
        if not args.output:
            raise ClaimsError("请用 -o 指定身份卡文件")
        write_private(Path(args.output), s.site_card())
        _out(f"已写出站点 {s.site_id}（{s.site_name}）的身份卡：{args.output}；指纹 {s.site_info()['fingerprint']}")
        return 0
    if args.action == "trust":
        if not args.file:
            raise ClaimsError("请给出对方站点的身份卡文件")
        try:
            data = Path(args.file).read_bytes()
        except OSError as e:
            raise ClaimsError(f"无法读取身份卡 {args.file}：{e.strerror}") from None
        card = s.trust_site(_actor(), data)
        _out(f"已信任站点 {card['site']}（{card.get('name', '')}），指纹 {card['fingerprint']}")
        _out("请与对方屏幕上显示的指纹逐字核对；不一致时请立即告知管理员")
        return 0
    info = s.site_info()
    if args.format == "json":
        _out(json.dumps(info, ensure_ascii=False))
        return 0
    from .store.exchange.sites import ROLE_LABELS
    _out(f"本站点：{info['name']}（{info['id']}，{ROLE_LABELS.get(info['role'], info['role'])}），指纹 {info['fingerprint']}")
    for p in info["sites"]:
        state = "受信任" if p["trusted"] else f"经 {p['via']} 得知，未直接信任"
        _out(f"  {p['site']}\t{p['name']}\t{state}\t指纹 {p['fingerprint']}\t"
             f"最近发出 第 {p['sent']['seq']} 包 {_when(p['sent']['at'])}\t最近收到 第 {p['received']['seq']} 包 "
             f"{_when(p['received']['at'])}")
    return 0


def cmd_provision(args) -> int:
    from .store.exchange.provision import provision
    s = _store(args)
    r = provision(s, _actor(), args.site_name, Path(args.output), args.cases_for)
    _out(f"已创建站点 {r['site']}（{r['name']}）的数据库：{r['path']}；指纹 {r['fingerprint']}；交给该站点的案件 {r['cases']} 件")
    _out(f"站点密钥在 {r['path']}.sitekey（与数据库一起交给对方；首次打开后自动移入该电脑的密钥目录）")
    return 0


def cmd_export(args) -> int:
    s = _store(args)
    out = Path(args.output)
    if out.exists():
        raise ClaimsError(f"{out} 已存在，未覆盖")
    data, summary = s.export_package(_actor(), args.to)
    write_private(out, data)
    _out(f"已写出给站点 {args.to} 的第 {summary['seq']} 个交换包：{out}（{summary['units']} 项修改，"
         f"{sum(summary['counts'].values())} 行）")
    for t, n in sorted(summary["counts"].items()):
        _out(f"  {t}\t{n}")
    for why in summary["refused"]:
        print(f"未发出：{why}", file=sys.stderr)
    return 0


def cmd_import_package(args) -> int:
    s = _store(args)
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        raise ClaimsError(f"无法读取交换包 {args.file}：{e.strerror}") from None
    r = s.import_package(_actor(), data, dry_run=args.dry_run)
    if r["already"]:
        _out(f"交换包（站点 {r['from']} 第 {r['seq']} 包）已经导入过，未做任何改动")
        return 0
    _out(("试运行（未写入）：" if args.dry_run else "") +
         f"站点 {r['from']} 的第 {r['seq']} 个交换包：{r['units']} 项修改已应用，{r['present_units']} 项此前已有")
    if r["gap"]:
        _out(f"注意：尚未收到站点 {r['from']} 的第 {r['gap'][0]}–{r['gap'][1]} 包（其内容已包含在本包中，或将随下一包送达）")
    _out("表\t新增\t修改\t删除\t已有（跳过）\t冲突")
    for t, c in sorted(r["tables"].items()):
        _out(f"{t}\t{c['added']}\t{c['changed']}\t{c['deleted']}\t{c['present']}\t{c['conflicts']}")
    _out(f"记录的冲突：{r['conflicts']} 项；疑似重复人员：{r['duplicates']} 对")
    return 0


def cmd_conflicts(args) -> int:
    s = _store(args)
    for c in s.open_conflicts():
        row = {"table": c["table"], "record": c["record"], "field": c["field"], "ours": c["ours"],
               "theirs": c["theirs"], "site": c["site"]}
        if args.format == "json":
            _out(json.dumps(row, ensure_ascii=False))
        else:
            _out(f"{c['label']}\t{c['record']}\t{c['field_label']}\t本站点：{c['ours']}\t另一站点：{c['theirs']}\t"
                 f"来自 {c['site']}")
    return 0


def add_commands(add) -> None:
    sp = add("site", cmd_site, "本站点：名称、编号、密钥指纹、角色与各受信任站点的收发情况；site card 写出身份卡；"
             "site trust 信任对方的身份卡")
    sp.add_argument("action", choices=["show", "card", "trust"], nargs="?", default="show")
    sp.add_argument("file", nargs="?", metavar="FILE", help="site trust：对方的身份卡文件")
    sp.add_argument("-o", "--output", metavar="FILE", help="site card：身份卡写到该文件")
    sp.add_argument("--format", choices=["text", "json"], default="text")
    sp = add("provision", cmd_provision, "由本站点生成一个新站点（如外勤笔记本）的数据库：参考数据、参数、用户、人员，"
             "以及分配给某用户的案件；两个站点互相信任")
    sp.add_argument("--site-name", required=True, metavar="NAME")
    sp.add_argument("-o", "--output", required=True, metavar="FILE")
    sp.add_argument("--cases-for", metavar="USER", help="办理过这些案件的用户名：其案件交由新站点办理")
    sp = add("export", cmd_export, "写出给某站点的交换包：对方尚未确认收到的全部修改（本站点的与转交的）")
    sp.add_argument("--to", required=True, metavar="SITE")
    sp.add_argument("-o", "--output", required=True, metavar="FILE")
    sp = add("import-package", cmd_import_package, "导入交换包：核对签名、收件站点与结构版本，整包应用或整包拒绝")
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--dry-run", action="store_true", help="试运行：只报告将要做的修改")
    sp = add("conflicts", cmd_conflicts, "待决定的冲突：表、记录、字段、本站点的值、另一站点的值、来自哪个站点")
    sp.add_argument("--format", choices=["text", "json"], default="text")
