"""The worker form: gender and birth date derived from the ID number as it is
typed; before a new person is saved, the same ID number opens the existing
record instead, and probable duplicates are shown side by side."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from claims.change import Change
from claims.errors import FieldError
from claims.i18n import _
from claims.models import Worker
from claims.validators import (mask_account, mask_id, mask_mobile, normalize_bank_card, normalize_mobile,
                               parse_id_number)

from ..forms import FormDialog, Incomplete
from claims.timeutil import today as china_today

FIELDS = ("name", "id_number", "phone", "bank_card", "bank_name", "bank_holder", "address", "emergency_contact",
          "emergency_phone")


@dataclass
class WorkerResult:
    worker: Worker
    change: Change | None  # None when the user chose to open the existing record
    existing: bool = False


def _digits(v: str) -> str:
    return re.sub(r"[\s-]", "", v)


def check_id(v: str):
    d = _digits(v).upper()
    if re.fullmatch(r"[0-9]{0,17}|[0-9]{17}X", d) and len(d) < 18 and len(d) != 15:
        raise Incomplete(_("已输入 {n} / 18 位").format(n=len(d)))
    parse_id_number(v)


def check_mobile(field: str):
    def check(v: str):
        d = _digits(v)
        if d.isdigit() and len(d) < 11 and d.startswith("1"):
            raise Incomplete(_("已输入 {n} / 11 位").format(n=len(d)))
        normalize_mobile(v, field=field)
    return check


def check_card(v: str):
    d = _digits(v)
    if d.isdigit() and len(d) < 15:
        raise Incomplete(_("已输入 {n} 位（银行卡号为15至19位）").format(n=len(d)))
    _card, warning = normalize_bank_card(v)
    return warning


def check_name(v: str):
    if len(v) > 30:
        raise FieldError(_("姓名"), _("过长（最多 30 个字）"))


class WorkerDialog(FormDialog):
    def __init__(self, parent, ctx, worker: Worker | None = None):
        super().__init__(parent, ctx, _("修改人员 — {n}").format(n=worker.name) if worker else _("新增人员"))
        self.worker = worker
        self.line("name", _("姓名"), check_name, required=True, max_len=40)
        self.line("id_number", _("身份证号码"), self._check_id, required=True,
                  placeholder=_("18位，末位可为 X；15位旧号码自动转换"), max_len=24)
        self.gender = self.shown(_("性别"))
        self.birth = self.shown(_("出生日期"))
        self.line("phone", _("手机号码"), check_mobile(_("手机号码")), required=True, max_len=20)
        self.line("bank_card", _("银行账号"), check_card, placeholder=_("待遇支付用，可稍后补填"), max_len=30)
        self.line("bank_name", _("开户银行"), placeholder=_("如：中国工商银行上海市徐汇支行"), max_len=60)
        self.line("bank_holder", _("户名"), placeholder=_("账户不是本人的才填写"), max_len=60)
        self.line("address", _("住址"))
        self.line("emergency_contact", _("紧急联系人"), max_len=30)
        self.line("emergency_phone", _("紧急联系人电话"), check_mobile(_("紧急联系人电话")), max_len=20)
        if worker is not None:
            self.record_version, self.record_title = worker.row_version, worker.name
            with self.loading():
                self.load_record({k: getattr(worker, k) for k in FIELDS})
        self.finish()

    def load_record(self, row: dict) -> None:
        for k in FIELDS:
            self.fields[k].widget.setText(row.get(k) or "")

    def _check_id(self, v: str):
        check_id(v)
        if self.worker is None or parse_id_number(v).number != self.worker.id_number:
            number = parse_id_number(v).number
            other = self.ctx.store.worker_by_id_number(number, actor=self.ctx.actor)
            if other is None and self.ctx.store.worker_by_id_number(number) is not None:  # outside their station
                raise FieldError(_("身份证号码"), _("该号码的人员已在其他站点登记，不能重复登记；"
                                                   "如其已转到本站，请联系承办机构办理"))
            if other is not None:
                if self.worker is not None:
                    raise FieldError(_("身份证号码"), _("另一位人员（{n}）已使用该号码").format(n=other.name))
                return _("该号码已登记（{n}），保存时将打开已有记录").format(n=other.name)
        return None

    def on_change(self, key: str) -> None:
        if key != "id_number":
            return
        try:
            idn = parse_id_number(self.value("id_number"))
        except FieldError:
            self.gender.setText("—")
            self.birth.setText("—")
            return
        b, today = idn.birth_date, china_today()
        age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
        self.gender.setText(idn.gender_label + "　<span style='color:#888'>" + _("（由身份证号码得出）") + "</span>")
        self.birth.setText(_("{y}年{m}月{d}日（{a} 周岁）").format(y=b.year, m=b.month, d=b.day, a=age))

    def data(self) -> dict:
        return {k: self.value(k) for k in FIELDS}

    def save(self):
        store, actor = self.ctx.store, self.ctx.actor
        if self.worker is not None:
            w, change = store.update_worker(actor, self.worker.id, self.data(), expected_version=self.record_version)
            return WorkerResult(w, change)
        values, _warnings = store.normalize_worker(self.data())
        existing = store.worker_by_id_number(values["id_number"], actor=actor)
        if existing is not None:
            return WorkerResult(existing, None, existing=True) if self.offer_existing(existing) else None
        dups = store.probable_duplicates(values, actor=actor)
        if dups:
            choice = DuplicateDialog.ask(self, self.ctx, values, dups)
            if isinstance(choice, Worker):
                return WorkerResult(choice, None, existing=True)
            if choice != "save":
                return None
        w, change = store.add_worker(actor, self.data())
        return WorkerResult(w, change)

    def offer_existing(self, existing: Worker) -> bool:
        box = QMessageBox(QMessageBox.Icon.Information, _("人员已登记"),
                          _("身份证号码 {id} 已登记为“{n}”（{b} 出生）。一人只建一份档案：打开已有记录吗？").format(
                              id=mask_id(existing.id_number), n=existing.name, b=existing.birth_date.isoformat()),
                          parent=self)
        open_btn = box.addButton(_("打开已有记录"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("返回修改"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_btn)
        box.exec()
        return box.clickedButton() is open_btn


class DuplicateDialog(QDialog):
    """The new data beside each probable duplicate; the user decides."""

    ROWS = [("name", "姓名"), ("id_number", "身份证号码"), ("gender", "性别"), ("birth_date", "出生日期"),
            ("phone", "手机号码"), ("bank_card", "银行账号"), ("address", "住址"), ("platforms", "参保平台")]

    def __init__(self, parent, ctx, values: dict, dups: list[Worker]):
        super().__init__(parent)
        self.setWindowTitle(_("可能是同一个人"))
        self.choice = None
        self.dups = dups
        full = ctx.sees_full_ids
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("已登记的人员中有 {n} 位与新录入的信息相近（姓名和出生日期相同，或手机号码相同）。"
                               "请核对是否为同一个人：").format(n=len(dups))))
        names = ctx.store.platform_names_for([d.id for d in dups])
        cols = [values] + [d.model_dump() | {"platforms": names.get(d.id, "")} for d in dups]
        t = QTableWidget(len(self.ROWS), len(cols))
        t.setHorizontalHeaderLabels([_("新录入")] + [_("已登记 {i}").format(i=i + 1) for i in range(len(dups))])
        t.setVerticalHeaderLabels([_(label) for _k, label in self.ROWS])
        t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        same = QBrush(QColor("#fdebd0"))
        for c, rec in enumerate(cols):
            for r, (key, _label) in enumerate(self.ROWS):
                text = self._text(key, rec.get(key), full or c == 0)
                item = QTableWidgetItem(text)
                if c and key in ("name", "birth_date", "phone") and str(rec.get(key)) == str(values.get(key)):
                    item.setBackground(same)
                t.setItem(r, c, item)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        t.resizeRowsToContents()
        t.setMinimumWidth(260 + 200 * len(dups))
        t.setMinimumHeight(t.verticalHeader().length() + t.horizontalHeader().height() + 6)
        lay.addWidget(t)
        hint = QLabel(_("底色标出相同的项目。"))
        hint.setStyleSheet("color:#777")
        lay.addWidget(hint)
        buttons = QDialogButtonBox()
        self.save_btn = QPushButton(_("不是同一人，仍然保存"))
        buttons.addButton(self.save_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_btn.clicked.connect(lambda: self._done("save"))
        self.open_btns = []
        for i, d in enumerate(dups):
            b = QPushButton(_("是同一人，打开已登记 {i}").format(i=i + 1) if len(dups) > 1 else _("是同一人，打开已有记录"))
            b.clicked.connect(lambda _c=False, d=d: self._done(d))
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
            self.open_btns.append(b)
        back = QPushButton(_("返回修改"))
        back.clicked.connect(self.reject)
        buttons.addButton(back, QDialogButtonBox.ButtonRole.RejectRole)
        self.back_btn = back
        back.setDefault(True)
        lay.addWidget(buttons)

    @staticmethod
    def _text(key: str, v, full: bool) -> str:
        if v is None or v == "":
            return "—"
        if key == "gender":
            return _("男") if v == "male" else _("女")
        if key == "id_number" and not full:
            return mask_id(v)
        if key == "phone" and not full:
            return mask_mobile(v)
        if key == "bank_card":
            return v if full else mask_account(v)
        return str(v)

    def _done(self, choice) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent, ctx, values: dict, dups: list[Worker]):
        """Returns "save", the existing Worker to open, or None (go back)."""
        dlg = cls(parent, ctx, values, dups)
        try:
            return dlg.choice if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()
