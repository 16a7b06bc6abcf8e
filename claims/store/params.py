"""Parameter tables: shipped rows seeded at creation, administrators add or
correct figures (audited); the benefits engine reads them from here."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..enums import ParamStatus
from ..errors import FieldError
from ..change import Change
from ..lazy import lazy_import
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import Parameter
    from ..parameters import ParameterRow, ParameterTable

models = lazy_import("claims.models")
param_rules = lazy_import("claims.parameters")
decimal = lazy_import("decimal")  # checking an entered figure: not at start-up


class ParamsMixin(StoreBase):
    def _after_migrate(self, from_version: int) -> None:
        super()._after_migrate(from_version)
        if from_version == 0:
            system = Actor("system:init")
            with self.atomic():
                for p in param_rules.load_shipped_parameters():
                    self._insert("parameters", _param_values(p), system)
        elif from_version < _migration_number("支付系列与收款银行"):
            self._switch_shipped_wage_rows_to_july()

    def _switch_shipped_wage_rows_to_july(self) -> None:
        """Databases made before bases switched on 1 July: move the shipped rows
        (same name, region, statistic year and value, still on calendar years) to
        the shipped periods, and add shipped rows they lack (audited)."""
        system = Actor("system:migrate")
        with self.atomic():
            for p in param_rules.load_shipped_parameters():
                rows = self.conn.execute("SELECT id, valid_from FROM parameters WHERE name = ? AND region = ? AND"
                                         " value = ? AND coalesce(stat_year, 0) = ?",
                                         (p.name, p.region, str(p.value), p.stat_year or 0)).fetchall()
                if not rows and p.name == "medical_ceiling":
                    self._insert("parameters", _param_values(p), system)
                for r in rows:
                    if p.stat_year and r["valid_from"] == f"{p.stat_year + 1}-01-01" != p.valid_from.isoformat():
                        self._update("parameters", r["id"], {"valid_from": p.valid_from.isoformat(),
                                                              "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                                                              "source": p.source}, system, what="参数")

    def parameters(self, name: str | None = None) -> list[Parameter]:
        q, args = "SELECT * FROM parameters", ()
        if name:
            q, args = q + " WHERE name = ?", (name,)
        return [models.Parameter.from_row(dict(r)) for r in self.conn.execute(q + " ORDER BY name, region, valid_from", args)]

    def parameter_table(self) -> ParameterTable:
        return param_rules.ParameterTable([param_rules.ParameterRow.model_validate({**p.model_dump(), "value": p.value})
                               for p in self.parameters()])

    def parameter_gaps(self) -> list[str]:
        """Figures missing for open cases (the benefit items they will need): for each case
        confirmed or awaiting appraisal, the rows ``ParameterTable.require`` would look for
        (the region, its city, province, national; in force on the accident's day — and, for
        a recorded death, the death figures in force on the day of death), asked of the
        database directly: the home screen asks before anything has loaded pydantic."""
        from ..regions import region_chain
        chain = region_chain("310000")
        inn = ",".join("?" * len(chain))
        missing = (f"NOT EXISTS (SELECT 1 FROM parameters p WHERE p.name = n.name AND p.region IN ({inn})"
                   " AND p.valid_from <= d.day AND (p.valid_to IS NULL OR p.valid_to >= d.day))")
        rows = self.conn.execute(
            "SELECT d.number, d.day, n.name FROM"
            " (SELECT number, substr(accident_at, 1, 10) AS day, accident_at AS at, 'accident' AS kind FROM cases"
            "  WHERE state IN ('confirmed', 'appraisal', 'appraised')"
            "  UNION ALL SELECT number, death_date, accident_at, 'death' FROM cases"
            "  WHERE death_date IS NOT NULL AND state IN ('confirmed', 'appraisal', 'appraised')) d,"
            " (SELECT 1 AS k, 'benefit_base' AS name, 'accident' AS kind UNION ALL SELECT 2, 'hospital_food_daily',"
            "  'accident' UNION ALL SELECT 3, 'death_base', 'death' UNION ALL SELECT 4, 'national_urban_income',"
            "  'death') n"
            f" WHERE n.kind = d.kind AND {missing} ORDER BY d.at, d.number, n.k", chain).fetchall()  # earliest first
        if not rows:
            return []
        from ..errors import MissingParameter
        labels = param_rules.PARAMETER_LABELS
        return [_gap_text(number, MissingParameter(name, labels.get(name, name), "310000", on))
                for number, on, name in rows]

    def add_parameter(self, actor: Actor, *, name: str, region: str, valid_from: str, value: str,
                      status: str, source: str, valid_to: str | None = None, stat_year: int | None = None,
                      unit: str = "元", label: str = "") -> tuple[Parameter, Change]:
        from ..permissions import require
        require(actor, "parameter.write")
        _check_param(value, source, valid_from, valid_to)
        status = ParamStatus(status).value
        with self.atomic():
            row = self._insert("parameters", {"name": name, "region": region, "valid_from": valid_from,
                                              "valid_to": valid_to, "stat_year": stat_year, "value": value,
                                              "unit": unit, "label": label or param_rules.PARAMETER_LABELS.get(name, name),
                                              "source": source, "status": status}, actor)
        return models.Parameter.from_row(row), self.change("parameters", ids=[row["id"]], summary=f"参数 {name}")

    def update_parameter(self, actor: Actor, param_id: str, *, value: str, status: str, source: str,
                         valid_from: str, valid_to: str | None = None,
                         expected_version: int | None = None) -> tuple[Parameter, Change]:
        """Correct a figure; the audit log keeps what it was before."""
        from ..permissions import require
        require(actor, "parameter.write")
        _check_param(value, source, valid_from, valid_to)
        with self.atomic():
            row = self._update("parameters", param_id, {"value": value, "status": ParamStatus(status).value,
                                                        "source": source, "valid_from": valid_from,
                                                        "valid_to": valid_to}, actor, what="参数",
                               expected_version=expected_version)
        return models.Parameter.from_row(row), self.change("parameters", ids=[param_id], summary=f"修改参数 {row['name']}")

    def derived_base(self, name: str, region: str, stat_year: int, wage: str) -> dict:
        """How ``name`` (death_base) follows from last year's wage, for the screen to show
        before saving: the wage's name, the percentage, the result and the period."""
        rule = param_rules.derived_rule(name)
        if rule is None:
            raise FieldError("参数", f"{param_rules.PARAMETER_LABELS.get(name, name)}不是由工资推算的参数")
        try:
            w = decimal.Decimal(str(wage).strip())
        except decimal.InvalidOperation:
            raise FieldError("月平均工资", f"“{wage}”不是数字") from None
        if w <= 0 or w != w.quantize(decimal.Decimal("0.01")):
            raise FieldError("月平均工资", "应为大于零的金额，最多两位小数")
        pct = decimal.Decimal(rule["pct"])
        from ..money import fen_to_str, round_half_up_fen
        base = fen_to_str(round_half_up_fen(w * 100 * pct / 100))
        vf, vt = param_rules.stat_year_window(region, stat_year)
        wage_label = param_rules.PARAMETER_LABELS[rule["from"]]
        return {"wage_name": rule["from"], "wage_label": wage_label, "pct": rule["pct"], "value": base,
                "valid_from": vf.isoformat(), "valid_to": vt.isoformat(), "explain": rule["explain"],
                "rule_source": rule["source"], "rule_status": rule["status"],
                "switch": param_rules.wage_switch(region),
                "text": f"{stat_year}年度{wage_label} {fen_to_str(round_half_up_fen(w * 100))} 元 × {rule['pct']}% = "
                        f"{base} 元/月，适用于 {vf.isoformat()} 至 {vt.isoformat()} 的事件"}

    def add_wage_and_derived_base(self, actor: Actor, *, name: str = "death_base", region: str, stat_year: int,
                                  wage: str, status: str, source: str) -> tuple[list[Parameter], Change]:
        """Record last year's wage as a parameter of its own (with its source) and the
        base derived from it (death_base = 60% of the private-sector wage), both for the
        period from the switch day (1 July by default, data) to the day before the next."""
        from ..permissions import require
        require(actor, "parameter.write")
        d = self.derived_base(name, region, stat_year, wage)
        if not source.strip():
            raise FieldError("来源", "请注明数据来源（文件名或网址）")
        status = ParamStatus(status).value
        for n in (d["wage_name"], name):
            if self.conn.execute("SELECT 1 FROM parameters WHERE name = ? AND region = ? AND valid_from = ?",
                                 (n, region, d["valid_from"])).fetchone():
                label = param_rules.PARAMETER_LABELS.get(n, n)
                raise FieldError("统计年度", f"已有 {d['valid_from']} 起的{label}（地区 {region}），请在参数表中修改该行")
        base_status = "confirmed" if status == "confirmed" and d["rule_status"] == "confirmed" else "unconfirmed"
        with self.atomic():
            wage_row = self._insert("parameters", {
                "name": d["wage_name"], "region": region, "valid_from": d["valid_from"], "valid_to": d["valid_to"],
                "stat_year": stat_year, "value": f"{decimal.Decimal(wage):.2f}", "unit": "元/月", "label": d["wage_label"],
                "source": source.strip(), "status": status}, actor)
            base_row = self._insert("parameters", {
                "name": name, "region": region, "valid_from": d["valid_from"], "valid_to": d["valid_to"],
                "stat_year": stat_year, "value": d["value"], "unit": "元/月",
                "label": param_rules.PARAMETER_LABELS.get(name, name),
                "source": f"{d['text']}（{d['rule_source']}；工资来源：{source.strip()}）", "status": base_status}, actor)
        rows = [models.Parameter.from_row(wage_row), models.Parameter.from_row(base_row)]
        return rows, self.change("parameters", ids=[wage_row["id"], base_row["id"]],
                                 summary=f"{d['wage_label']}及{param_rules.PARAMETER_LABELS.get(name, name)}")


def _migration_number(description: str) -> int:
    from .schema import MIGRATIONS
    return next(n for n, d, _sql in MIGRATIONS if d == description)


def _check_param(value: str, source: str, valid_from: str, valid_to: str | None) -> None:
    try:
        if decimal.Decimal(value) < 0:
            raise FieldError("数值", "不能为负数")
    except decimal.InvalidOperation:
        raise FieldError("数值", f"“{value}”不是数字") from None
    if not source.strip():
        raise FieldError("来源", "请注明数据来源（文件名或网址）")
    if valid_to and valid_to < valid_from:
        raise FieldError("适用截止日期", "不能早于起始日期")


def _param_values(p: ParameterRow) -> dict:
    d = p.model_dump(mode="json", exclude={"id"})
    d["value"] = str(p.value)
    return d


def _gap_text(case_number: str, err) -> str:
    return f"案件 {case_number}：{err.message}"
