"""Headless commands (cli.md): the contract other people's scripts rely on.
Exit 0 on success, 2 for bad input or refused operations (Chinese message on
stderr naming the field, row or record), 1 for unexpected failures."""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Callable

from .errors import ClaimsError, DatabaseError, FieldError, database_problem
from .store.db import ERRORS as DB_ERRORS

Renderer = Callable[[], object]  # returns the forms.render module (injected by main.py)


def cli_actor():
    """Headless commands act as the operating-system user who can open the database file."""
    from .store import Actor
    from .store.base import _issue
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = "unknown"
    return _issue(Actor(f"cli:{user}", role="admin", display_name=f"cli:{user}"))


def open_store(args, *, create: bool = False):
    """The store of ``--db``; an encrypted one is opened with the credentials given
    (``--user`` and ``--password-stdin``, or ZHIBAOTONG_USER and ZHIBAOTONG_PASSWORD),
    else refused (exit 2) with a message saying how."""
    from . import settings
    from .store import Store, keyring
    from .store.db import key_for
    path = Path(args.db) if args.db else settings.default_db()
    if key_for(path) is None and keyring.is_encrypted(path):
        from .store.encryption import open_unlocked
        user, password = credentials(args, path)
        store, args.login_actor = open_unlocked(path, settings.site_id(), user, password)
        return store
    return Store(path, settings.site_id(), create=create)


def credentials(args, path) -> tuple[str, str]:
    """The user name and password that unlock an encrypted database (or its backup)."""
    import os
    from .errors import LOCKED_MSG, LockedDatabase
    cached = getattr(args, "_credentials", None)
    if cached:
        return cached
    user = (getattr(args, "user", None) or os.environ.get("ZHIBAOTONG_USER") or "").strip()
    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = os.environ.get("ZHIBAOTONG_PASSWORD")
    if not user or not password:
        raise LockedDatabase(LOCKED_MSG.format(path=path))
    args._credentials = (user, password)
    return args._credentials


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


# -- commands -------------------------------------------------------------
def cmd_init(args) -> int:
    from . import settings
    path = Path(args.db) if args.db else settings.default_db()
    if path.exists():
        raise ClaimsError(f"数据库已存在：{path}（init 不会覆盖已有数据）")
    s = open_store(args, create=True)
    out(f"已创建空数据库：{s.path}（结构版本 {s.schema_version}）")
    return 0


def cmd_demo(args) -> int:
    from . import settings
    path = Path(args.db) if args.db else settings.default_db()
    if path.exists():
        raise ClaimsError(f"数据库已存在：{path}（请换一个文件名，演示数据不会覆盖已有数据）")
    if args.workers < 1:
        raise ClaimsError("--workers 应为正整数")
    as_of = _demo_as_of(args.as_of)
    from .demo import generate
    s = generate(path, workers=args.workers, seed=args.seed, as_of=as_of,
                 progress=lambda m: print(f"生成{m}…", file=sys.stderr))
    c = s.counts()
    out(f"已生成演示数据库 {path}：人员 {c['workers']}，订单 {c['orders']}，申报 {c['declarations']}，案件 {c['cases']}"
        + (f"（日期以 {as_of.isoformat()} 为准）" if as_of else ""))
    return 0


def _demo_as_of(text: str | None):
    """``--as-of YYYY-MM-DD``: the day the demo's dates are placed against (None: today)."""
    import re
    from datetime import date

    if text is None:
        return None
    t = text.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            raise ValueError(t)
        as_of = date.fromisoformat(t)
    except ValueError:
        raise FieldError("--as-of", f"“{t}”不是有效的日期（应为 YYYY-MM-DD，如 2026-11-30）") from None
    if as_of < date(2023, 7, 1):
        raise FieldError("--as-of", f"“{t}”太早：演示数据的待遇参数从 2023 年起，请用 2023-07-01 以后的日期")
    return as_of


def cmd_list(args) -> int:
    s = open_store(args)
    fmt_json = args.format == "json"
    if args.kind == "workers":
        from .store import WorkerFilter
        for w in s.iter_workers(WorkerFilter(text=args.search or "", sort="id_number")):
            out(json.dumps({"id_number": w.id_number, "name": w.name, "phone": w.phone, "gender": w.gender,
                            "birth_date": w.birth_date.isoformat()}, ensure_ascii=False) if fmt_json else w.id_number)
    elif args.kind == "cases":
        from .enums import CaseState
        from .store import CaseFilter
        if args.state:
            try:
                CaseState(args.state)
            except ValueError:
                raise ClaimsError(f"--state：未知的案件状态“{args.state}”（可用：{'、'.join(x.value for x in CaseState)}）") from None
        offset = 0
        while batch := s.search_cases(CaseFilter(text=args.search or "", state=args.state), offset=offset, limit=1000):
            for c in batch:
                out(json.dumps({"number": c.number, "state": c.state.value, "industry": c.industry.value,
                                "accident_at": c.accident_at.isoformat(),
                                "due_on": c.due_on.isoformat() if c.due_on else None}, ensure_ascii=False)
                    if fmt_json else c.number)
            offset += len(batch)
    elif args.kind == "declarations":
        offset = 0
        while batch := s.declarations(offset=offset, limit=1000):
            for d in batch:
                out(json.dumps({"number": d.number, "month": d.month, "region": d.region, "status": d.status.value,
                                "amount_due": d.amount_due_fen / 100, "amount_paid": d.amount_paid_fen / 100},
                               ensure_ascii=False) if fmt_json else d.number)
            offset += len(batch)
    elif args.kind == "payments":
        for r in s.conn.execute("SELECT number, status, amount_fen, paid_on FROM benefit_payments ORDER BY number"):
            out(json.dumps({"number": r[0], "status": r[1], "amount": f"{r[2] / 100:.2f}", "paid_on": r[3]},
                           ensure_ascii=False) if fmt_json else r[0])
    return 0


def cmd_check(args) -> int:
    from .store.integrity import attached, attachment_problems, schema_problems
    from .store.schema import HEAD
    s = open_store(args)
    ok = s.conn.execute("PRAGMA integrity_check").fetchone()[0]
    fk = s.conn.execute("PRAGMA foreign_key_check").fetchall()
    out(f"完整性检查：{'通过' if ok == 'ok' else ok}")
    out(f"外键检查：{'通过' if not fk else f'{len(fk)} 处问题'}")
    out(f"结构版本：{s.schema_version}（程序支持 {HEAD}），待执行迁移：{len(s.pending_migrations())}")
    planted = schema_problems(s.conn, s.schema_version)
    out(f"数据库结构：{'与程序建立的一致' if not planted else f'{len(planted)} 处不是程序建立的'}")
    files = attachment_problems(s.conn, s.path)
    out(f"材料文件：{sum(1 for _ in attached(s.conn))} 个，" + ("均与登记时一致" if not files else f"{len(files)} 个有问题"))
    out(f"审计签名：{s.identity_problem or ('只读打开，未核对' if s.read_only else '正常')}"
        + (f"（站点 {s.meta_get('site.id')}，密钥指纹 {s.meta_get('site.fingerprint')}）"
           if s.meta_get("site.fingerprint") else ""))
    gaps = s.parameter_gaps()
    out(f"参数缺口：{len(gaps)}")
    for g in gaps:
        out(f"  {g}")
    unset = s.office_unset()
    out(f"经办机构信息：{'、'.join(unset) + '尚未填写（打印件上为占位文字；用 office set 填写）' if unset else '已填写'}")
    from . import timeutil
    errors, warnings = s.calendar_problems(timeutil.today())
    out(f"节假日安排：{'缺少年份' if errors else '有未确认的年份' if warnings else '齐全'}")
    for line in errors:
        out(f"  错误：{line}")
    for line in warnings:
        out(f"  注意：{line}")
    for p in planted + files + ([s.identity_problem] if s.identity_problem else []):
        print(f"问题：{p}", file=sys.stderr)
    if ok != "ok":
        print("问题：数据库文件已损坏。请用 restore 命令从最近的备份恢复。", file=sys.stderr)
    return 0 if ok == "ok" and not fk and not planted and not files and not s.identity_problem and not errors else 2


def cmd_backup(args) -> int:
    from .backup import backup
    s = open_store(args)
    problems: list[str] = []
    dest = backup(s, Path(args.output) if args.output else None, force=args.force, problems=problems)
    out(f"已备份到 {dest}（数据库与材料文件，已逐一核对）")
    for p in problems:
        print(f"注意：{p}", file=sys.stderr)
    return 2 if problems else 0


def cmd_restore(args) -> int:
    from . import settings
    from .backup import restore
    from .store import keyring
    target = Path(args.db) if args.db else settings.default_db()
    if keyring.is_encrypted(target):  # its safety copy is made with its key
        open_store(args).close()
    saved = restore(Path(args.file), target, credentials=lambda: credentials(args, args.file))
    out(f"已从 {args.file} 恢复到 {target}" + (f"（原数据库已另存为 {saved}）" if saved else ""))
    return 0


def _report(rep, args) -> int:
    for line, status, detail in rep.rows:
        if status in ("rejected", "updated") or args.verbose:  # what changed a registered record is always said
            out(f"{line}\t{status}\t{detail}")
    if len(rep.rows) >= rep.ROW_CAP:
        out(f"…（逐行报告只列出前 {rep.ROW_CAP} 行）")
        for line, msg in rep.rejected[rep.ROW_CAP:]:
            out(f"{line}\trejected\t{msg}")
    print(rep.summary(), file=sys.stderr)
    return 0


def cmd_import_workers(args) -> int:
    from .import_formats import WORKER_COLUMNS, required
    from .tabular import read_rows
    s = open_store(args)
    rows = read_rows(args.file, required=required(WORKER_COLUMNS))
    rep = s.import_workers(cli_actor(), rows, dry_run=args.dry_run, file_name=Path(args.file).name)
    return _report(rep, args)


def cmd_end_enrollment(args) -> int:
    """The worker (by ID number) stops working for the platform in the industry: cover ends on --end-on."""
    from .enums import Industry
    from .validators import parse_id_number
    s = open_store(args)
    worker = s.worker_by_id_number(parse_id_number(args.id_number).number)
    if worker is None:
        raise FieldError("身份证号码", f"没有登记证件号码为 {args.id_number} 的人员")
    plat = s.platform_by_name(args.platform)
    if plat is None:
        raise FieldError("平台", f"未登记的平台“{args.platform}”")
    try:
        industry = Industry.from_text(args.industry)
    except ValueError:
        raise FieldError("行业", f"未知行业“{args.industry}”（出行、外卖、即时配送、同城货运）") from None
    open_ones = [e for e in s.enrollments_of(worker.id) if e.platform_id == plat.id and e.industry == industry
                 and e.status.value == "active"]
    if not open_ones:
        raise ClaimsError(f"{worker.name}在“{plat.name}”的{industry.label}行业没有在保的参保登记")
    _e, change = s.end_enrollment(cli_actor(), open_ones[-1].id, end_on=args.end_on)
    out(f"{worker.name}：{change.summary}")
    return 0


def cmd_import_orders(args) -> int:
    from .import_formats import ORDER_COLUMNS, required
    from .tabular import read_rows
    s = open_store(args)
    rows = read_rows(args.file, required=required(ORDER_COLUMNS))
    rep = s.import_orders(cli_actor(), rows, dry_run=args.dry_run, file_name=Path(args.file).name)
    return _report(rep, args)


def cmd_import_reports(args) -> int:
    from .tabular import read_rows
    s = open_store(args)
    rep = s.import_reports(cli_actor(), read_rows(args.file), dry_run=args.dry_run, file_name=Path(args.file).name)
    return _report(rep, args)


def cmd_benefits(args) -> int:
    from .benefits import run_benefits_command
    from .parameters import ParameterTable
    text = sys.stdin.read() if args.input == "-" else _read_text(args.input)
    table = open_store(args).parameter_table() if (args.db or _default_exists()) else ParameterTable.shipped()
    out(json.dumps(run_benefits_command(text, table), ensure_ascii=False, indent=2))
    return 0


def _default_exists() -> bool:
    from . import settings
    return settings.default_db().exists()


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ClaimsError(f"无法读取输入文件 {path}：{e.strerror}") from None


def cmd_print(args, renderer: Renderer) -> int:
    from .printing import print_document, print_warnings
    s = open_store(args)
    result = print_document(s, renderer(), args.doc, args.id, cli_actor())
    for warning in print_warnings(s, args.doc):
        print(f"注意：{warning}", file=sys.stderr)
    from .savefile import save_bytes
    save_bytes(Path(args.output), result.pdf)
    out(f"已输出 {args.output}（{result.pages} 页，核验码 {result.code}）")
    return 0


def cmd_verify(args, renderer: Renderer) -> int:
    from .printing import verify_code
    s = open_store(args)
    ok, lines = verify_code(s, args.code, renderer())
    for line in lines:
        out(line)
    return 0 if ok else 2


def cmd_office(args) -> int:
    """office show: the details printed on documents; office set KEY=VALUE …: change them (audited)."""
    from .office import OFFICE_FIELDS, resolve_key
    s = open_store(args)
    if args.action == "set":
        if not args.assignments:
            raise FieldError("项目", "请给出要修改的项目，如 office set 地址=上海市黄浦区西藏中路18号")
        values = {}
        for item in args.assignments:
            key, sep, value = item.partition("=")
            if not sep:
                raise FieldError("项目", f"“{item}”应写作 项目=内容")
            values[resolve_key(key)] = value
        change = s.set_office_settings(cli_actor(), values)
        out(change.summary)
        return 0
    current, saved = s.office_settings(), s.office_saved()
    for f in OFFICE_FIELDS:
        state = "已填写" if (saved.get(f.key) or "").strip() else ("占位，须填写" if f.placeholder else "默认")
        if args.format == "json":
            out(json.dumps({"key": f.key, "label": f.label, "value": current[f.key], "state": state},
                           ensure_ascii=False))
        else:
            out(f"{f.key}\t{f.label}\t{current[f.key] or '—'}\t（{state}）")
    return 0


def cmd_audit(args) -> int:
    from .audit import verify_audit
    s = open_store(args)
    if args.action == "accept":  # an administrator vouches for the data as it stands: re-sign, audited
        from .store.identity import adopt
        if s.read_only:
            raise ClaimsError("数据库是只读打开的，不能签名")
        before = s.identity_problem
        key = adopt(s, cli_actor(), "管理员核对后重新签名" + (f"（此前：{before}）" if before else ""))
        out(f"已用本机站点 {key.site_id} 的密钥（指纹 {key.fingerprint}）重新签名审计日志；此操作已记入审计日志")
        return 0
    ok, message = verify_audit(s)
    (out if ok else lambda m: print(m, file=sys.stderr))(message)
    return 0 if ok else 2


def cmd_encrypt(args) -> int:
    s = open_store(args)
    change = s.encrypt_database(cli_actor())
    out(change.summary)
    out(f"密钥文件：{s.path}.keys（与数据库放在一起；备份中也有一份）。此后命令行须用 --user 与密码打开它。")
    return 0


def cmd_decrypt(args) -> int:
    s = open_store(args)
    actor = getattr(args, "login_actor", None)
    if actor is None:
        raise ClaimsError(f"数据库 {s.path} 没有加密")
    out(s.decrypt_database(actor).summary)
    return 0


# -- parser ---------------------------------------------------------------
def build_parser(version: str) -> argparse.ArgumentParser:
    db_help = "数据库文件（默认：用户数据目录中的 zhibaotong.db）"
    user_help = "加密的数据库：用哪个用户的密码打开（也可用环境变量 ZHIBAOTONG_USER）"
    password_help = "加密的数据库：从标准输入的第一行读取该用户的密码（也可用环境变量 ZHIBAOTONG_PASSWORD）"
    p = argparse.ArgumentParser(prog="zhibaotong",
                                description="职保通：新就业形态人员职业伤害保障试点工作台。不带命令时打开图形界面。")
    p.add_argument("--db", metavar="PATH", help=db_help)
    p.add_argument("--user", metavar="NAME", help=user_help)
    p.add_argument("--password-stdin", action="store_true", help=password_help)
    p.add_argument("--version", action="version", version=f"职保通 {version}")
    p.add_argument("--demo", action="store_true", help="打开图形界面，使用演示数据库（不存在时先生成）")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    # --db is accepted before the command and after it. After it, the command's parser must not
    # put a default of its own over one given before (argparse copies every default of a
    # subparser into the result): SUPPRESS sets the attribute only when the option is there.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=user_help)
    common.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS, help=password_help)

    def add(name, func, help_, **kw):
        sp = sub.add_parser(name, parents=[common], help=help_, description=help_, **kw)
        sp.set_defaults(func=func)
        return sp

    add("init", cmd_init, "创建空数据库")
    sp = add("demo", cmd_demo, "生成演示数据库（日期以 --as-of 为准：此前六个月的订单，多数在办案件未到期）")
    sp.add_argument("--workers", type=int, default=2000, help="人员数（默认 2000）")
    sp.add_argument("--seed", type=int, default=1, help="随机种子：相同种子与相同 --as-of 生成相同数据")
    sp.add_argument("--as-of", metavar="YYYY-MM-DD",
                    help="演示数据以该日为“今天”：所有日期都在此日之前（默认：今天）")
    sp = add("list", cmd_list, "列出记录的自然编号，每行一个")
    sp.add_argument("kind", choices=["workers", "cases", "declarations", "payments"])
    sp.add_argument("--state", help="按案件状态代码筛选（仅 cases）")
    sp.add_argument("--search", help="与界面搜索框相同的查找")
    sp.add_argument("--format", choices=["text", "json"], default="text")
    add("check", cmd_check, "完整性检查、结构版本、待执行迁移、参数缺口、程序之外加入的结构、材料文件、审计签名")
    sp = add("backup", cmd_backup, "在线备份数据库与全部材料文件（一个文件），写好后逐一核对")
    sp.add_argument("-o", "--output", metavar="FILE", help="备份文件（默认：数据目录 backups/ 下按时间命名，.zbk）")
    sp.add_argument("--force", action="store_true", help="覆盖已有的同名备份（只覆盖本程序的备份文件）")
    add("encrypt", cmd_encrypt, "加密数据库文件（管理员）：此后须用某个用户的用户名和密码才能打开；各用户照旧用自己的密码登录")
    add("decrypt", cmd_decrypt, "取消数据库文件的加密（须用管理员的用户名和密码）；已有的备份保持加密")
    sp = add("restore", cmd_restore, "从备份恢复数据库与材料文件（也接受旧版的 .db 备份）；拒绝损坏或版本更新的文件")
    sp.add_argument("file", metavar="FILE")
    for name, func, what in (("import-workers", cmd_import_workers, "导入人员与参保登记（CSV 或 XLSX）"),
                             ("import-orders", cmd_import_orders, "导入订单记录（CSV 或 XLSX）"),
                             ("import-reports", cmd_import_reports,
                              "导入平台的事故报案（CSV 或 XLSX）：每条新报案成为一件“报案”状态的案件，时限自报案时间起算；"
                              "同一平台的同一报案编号只登记一次")):
        sp = add(name, func, what)
        sp.add_argument("file", metavar="FILE")
        sp.add_argument("--dry-run", action="store_true", help="试运行：只报告，不写入")
        sp.add_argument("--verbose", action="store_true", help="逐行列出所有行（默认只列出被拒绝的行）")
    sp = add("end-enrollment", cmd_end_enrollment, "终止参保：人员不再在某平台的某行业接单，保障到终止日期为止")
    sp.add_argument("--id-number", required=True, metavar="ID", help="人员的身份证号码")
    sp.add_argument("--platform", required=True, metavar="NAME", help="平台名称，如 美团")
    sp.add_argument("--industry", required=True, metavar="行业", help="出行、外卖、即时配送、同城货运（或代码）")
    sp.add_argument("--end-on", required=True, metavar="YYYY-MM-DD", help="最后一个保障日")
    sp = add("benefits", cmd_benefits, "按 JSON 描述计算待遇核定（输出 JSON）")
    sp.add_argument("--input", required=True, metavar="FILE", help="JSON 文件；- 表示标准输入")
    sp = add("print", cmd_print, "打印一份文书为 PDF")
    sp.add_argument("doc", metavar="DOC", help="文书代码，如 benefit_notice")
    sp.add_argument("--id", required=True, metavar="ID", help="案件号、身份证号码、申报编号或支付编号")
    sp.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    sp = add("verify", cmd_verify, "核验文书上的核验码")
    sp.add_argument("code", metavar="CODE")
    sp = add("office", cmd_office, "经办机构信息（印在回执、告知书、决定书上）：office show 查看，"
             "office set 项目=内容 … 修改（记入审计日志）")
    sp.add_argument("action", choices=["show", "set"], nargs="?", default="show")
    sp.add_argument("assignments", nargs="*", metavar="项目=内容",
                    help="项目可写 office.name、name 或中文名称（经办机构名称、地址、联系电话、行政复议机关、"
                         "诉讼管辖法院、劳动能力鉴定委员会、承办保险公司）")
    sp.add_argument("--format", choices=["text", "json"], default="text")
    sp = add("audit", cmd_audit, "审计日志：audit verify 检查哈希链、站点签名、记录与材料文件；"
             "audit accept 由管理员核对后以本机站点密钥重新签名（如数据库迁到了另一台电脑）")
    sp.add_argument("action", choices=["verify", "accept"])
    from .report_cmd import cmd_report
    sp = add("report", cmd_report, "统计报表：report monthly 输出运行分析月报（A4 PDF）")
    sp.add_argument("kind", choices=["monthly"], metavar="KIND", help="monthly：运行分析月报")
    sp.add_argument("--month", required=True, metavar="YYYY-MM", help="统计月份")
    sp.add_argument("--region", metavar="CODE", help="只统计该地区（六位代码，如 310000）")
    sp.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    from .exchange_cmd import add_commands
    add_commands(add)  # the exchange between sites (cli.md)
    from .whatif.command import cmd_whatif
    sp = add("whatif", cmd_whatif, "政策测算：按方案（JSON）重算历史的缴费与待遇，与实际并列输出；不改动任何记录")
    sp.add_argument("--scenario", required=True, metavar="FILE.json", help="方案文件（JSON）；- 表示标准输入")
    sp.add_argument("--from", dest="month_from", metavar="YYYY-MM", help="起始月份（默认：最早有缴费申报的月份）")
    sp.add_argument("--to", dest="month_to", metavar="YYYY-MM", help="截止月份（默认：最近有缴费申报的月份）")
    sp.add_argument("--format", choices=["text", "json"], default="text")
    return p


def run(args, renderer: Renderer) -> int:
    try:
        from .report_cmd import cmd_report
        if args.func in (cmd_print, cmd_verify, cmd_report):
            return args.func(args, renderer)
        return args.func(args)
    except ClaimsError as e:
        print(f"错误：{e.message}", file=sys.stderr)
        return e.exit_code
    except (*DB_ERRORS, OSError) as e:  # disk full, read-only, damaged, busy: said plainly
        problem = database_problem(e, getattr(args, "db", None))
        if problem is None and isinstance(e, OSError):
            raise
        print(f"错误：{problem.message if problem else f'数据库出错：{e}'}", file=sys.stderr)
        return 2
    except DatabaseError as e:  # pragma: no cover - subclass of ClaimsError, kept for clarity
        print(f"错误：{e.message}", file=sys.stderr)
        return 2
