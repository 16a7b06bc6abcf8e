"""Audit log entries as sentences a clerk reads: who (their name) did what to which
record (its natural identifier: a case number, a person's name) — which field
(its Chinese label) from what to what. Numbers a role sees masked are masked
here too; codes become their labels, fen become yuan, ids become names. Columns
with no label are summed up ("及其他 2 项"), never shown by their internal name."""
from __future__ import annotations

import json

from . import enums
from .i18n import _
from .money import format_yuan
from .validators import mask_account, mask_id, mask_mobile

TABLES = {
    "workers": "人员", "enrollments": "参保登记", "other_cover": "其他保障", "platforms": "平台", "stations": "站点",
    "cases": "案件", "case_events": "案件历史", "case_documents": "案件材料", "decisions": "结论书",
    "appraisals": "鉴定结论", "assessments": "待遇核定", "benefit_payments": "支付", "declarations": "缴费申报",
    "fee_payments": "缴费到账", "fee_rates": "每单缴费金额", "parameters": "参数", "users": "用户",
    "dependants": "供养亲属", "advances": "垫付", "missing_notices": "补正告知", "holiday_calendar": "节假日",
    "situation_texts": "确认情形", "exports": "导出", "office": "经办机构信息", "orders": "订单记录",
    "daily_counts": "日单量", "import_runs": "导入", "meta": "系统设置", "counters": "编号序列",
    "issued_documents": "出具文书", "printed_documents": "打印记录", "industries": "行业", "whatif_scenarios": "测算方案",
    "database": "数据库文件",
}
ACTIONS = {"insert": "新增了", "update": "修改了", "import": "导入了", "approve": "批准了", "return": "退回了",
           "cancel": "作废了", "reveal": "查看了完整号码：", "export": "导出了", "login": "登录：",
           "login_failed": "登录失败：", "password": "修改了密码：", "undo": "撤销了对以下记录的操作：",
           "delete": "删除了", "site_key": "建立了", "count": "使用了", "accept": "核对后重新签名了",
           "password_reset": "重设了密码：", "encrypt": "加密了", "decrypt": "取消了加密："}
FIELDS = {
    "name": "姓名", "id_number": "身份证号码", "phone": "手机号码", "bank_card": "银行账号", "bank_name": "开户银行",
    "bank_holder": "户名", "address": "住址", "emergency_contact": "紧急联系人", "emergency_phone": "紧急联系人电话",
    "gender": "性别", "birth_date": "出生日期", "state": "状态", "status": "状态", "due_on": "办理时限",
    "doc_type": "材料类别", "pages": "页数", "received_on": "收到日期", "file_name": "扫描件", "note": "说明",
    "amount_fen": "金额", "payee": "收款人", "account": "收款账号", "payee_bank": "开户银行",
    "payee_name": "收款户名", "payee_account": "收款账号", "approved_by": "审批人", "prepared_by": "制单人",
    "returned_by": "退回人", "return_reason": "退回原因", "cancel_reason": "作废原因", "paid_on": "支付日期",
    "reference": "银行流水号", "start_on": "起始日期", "end_on": "终止日期", "industry": "行业",
    "platform_id": "平台", "station_id": "站点", "worker_id": "人员", "case_id": "案件", "failed_attempts": "密码错误次数",
    "locked_until": "锁定至", "password_hash": "密码", "active": "启用", "display_name": "姓名", "role": "角色",
    "username": "用户名", "grade": "伤残等级", "care_level": "生活自理障碍", "conclusion_no": "鉴定结论书编号",
    "concluded_on": "鉴定日期", "once_total_fen": "一次性合计", "monthly_total_fen": "按月合计", "period_month": "月份",
    "kind": "类别", "value": "数值", "valid_from": "起始日期", "valid_to": "截止日期", "source": "来源",
    "claimant_name": "申请人", "claimant_relation": "申请人与本人关系", "claimant_id_number": "申请人身份证号码",
    "claimant_phone": "申请人电话", "claimant_address": "申请人地址", "claimant_bank": "申请人开户银行",
    "claimant_account": "申请人账号", "claimant_holder": "申请人户名", "death_date": "死亡日期",
    "death_cause": "死亡原因", "treatment_end_on": "医疗终结日期", "relation": "关系", "served_on": "送达日期",
    "decided_on": "结论日期", "reasons": "理由", "legal_basis": "依据", "override_reason": "与记录不一致的理由",
    "month": "月份", "amount_due_fen": "应缴金额", "amount_paid_fen": "已缴金额", "credit_code": "统一社会信用代码",
    "district": "所在区", "contact_name": "联系人", "contact_phone": "联系电话", "policy_no": "保单号",
    "insurer": "承保机构", "advancer_name": "垫付方", "advanced_on": "垫付日期", "purpose": "用途",
    "place": "事故地点", "description": "事故经过", "hospital": "就诊医院", "body_parts": "受伤部位",
    "accident_at": "事故时间", "reported_at": "报案时间", "order_no": "订单号", "reporter_name": "报案人",
    "number": "编号", "rows": "行数", "personal": "含个人信息", "wording": "文字", "article": "条款",
    "holidays": "节假日", "workdays": "调休上班日", "year": "年份", "lone_elder": "孤寡老人", "orphan": "孤儿",
    "case_type": "事故类型", "channel": "报案方式", "series": "发放对象", "issued_on": "发出日期",
    "closed_on": "结束日期", "current": "当前有效", "encrypted": "已加密",
}
IDS = {"id_number", "claimant_id_number"}
PHONES = {"phone", "emergency_phone", "claimant_phone", "contact_phone"}
ACCOUNTS = {"bank_card", "account", "payee_account", "claimant_account"}
ENUMS = {"state": enums.CaseState, "industry": enums.Industry, "role": enums.Role, "care_level": enums.CareLevel,
         "death_cause": enums.DeathCause, "relation": enums.Relation}
STATUS = {"benefit_payments": enums.PaymentStatus, "enrollments": enums.EnrollmentStatus,
          "declarations": enums.DeclarationStatus}
SKIP = {"id", "created_at", "updated_at", "site_id", "row_version", "id_rev", "phone_rev", "name_pinyin",
        "name_initials", "content_hash", "result_json", "pay_items", "lines", "state_since", "clock_left", "seq",
        "items", "facts", "situation_text", "*"}


def value_text(table: str, field: str, v, names) -> str:
    """One value as a person reads it. ``names(table, id)`` names a record an id points to."""
    if v is None or v == "":
        return _("空")
    if field in IDS:
        return mask_id(str(v))
    if field in PHONES:
        return mask_mobile(str(v))
    if field in ACCOUNTS:
        return mask_account(str(v))
    if field == "password_hash":
        return "***"
    if field.endswith("_fen") and isinstance(v, int):
        return format_yuan(v)
    if field in ("active", "lone_elder", "orphan", "current", "personal"):
        return _("是") if v in (1, True, "1") else _("否")
    if field == "gender":
        return _("男") if v == "male" else _("女")
    enum = STATUS.get(table) if field == "status" else ENUMS.get(field)
    if enum is not None:
        try:
            return enum(v).label
        except ValueError:
            pass
    if field.endswith("_id") and field[:-3] + "s" in TABLES:
        return names(field[:-3] + "s", v) or _("（已删除）")
    if field.endswith("_by"):
        return names("users", v)
    text = str(v)
    if field.endswith("_at") and "T" in text:
        text = text[:16].replace("T", " ")
    return text if len(text) <= 40 else text[:38] + "…"


def sentence(entry, who: str, record: str, names) -> str:
    """李经办 修改了人员“张伟”：手机号码由 138****5678 改为 139****1234。"""
    table = TABLES.get(entry.table_name, _("记录"))
    verb = ACTIONS.get(entry.action, _("处理了"))
    try:
        changes = json.loads(entry.changes or "{}")
    except ValueError:
        changes = {}
    shown, hidden = [], 0
    deleted = bool(changes) and all(isinstance(v, list) and len(v) == 2 and v[1] is None for v in changes.values())
    for k, pair in changes.items():
        if k in SKIP:
            continue
        if k not in FIELDS:
            hidden += 1
            continue
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if entry.action in ("insert", "import", "site_key", "count") or deleted:
            continue  # a new (or removed) record: named, not listed field by field
        if entry.action == "reveal":
            break
        a, b = value_text(entry.table_name, k, old, names), value_text(entry.table_name, k, new, names)
        if a != b:
            shown.append(_("{f}由 {a} 改为 {b}").format(f=FIELDS[k], a=a, b=b))
    text = _("{who} {verb}{t}“{r}”").format(who=who, verb=verb, t=table, r=record)
    if entry.action == "export":
        rows = changes.get("rows", [None, None])
        return _("{who} 导出了“{r}”（{n} 行）。").format(who=who, r=record, n=rows[1] if isinstance(rows, list) else rows)
    if shown:
        text += "：" + "；".join(shown)
    if hidden and shown:
        text += _("；及其他 {n} 项").format(n=hidden)
    return text + "。"
