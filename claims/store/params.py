"""Parameter tables: shipped rows seeded at creation, administrators add or
correct figures (audited); the benefits engine reads them from here."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
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


class ParamsMixin(StoreBase):
    def _after_migrate(self, from_version: int) -> None:
        super()._after_migrate(from_version)
        if from_version == 0:
            system = Actor("system:init")
            with self.atomic():
                for p in param_rules.load_shipped_parameters():
                    self._insert("parameters", _param_values(p), system)

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
        (the region, its city, province, national; in force on the accident's day), asked of
        the database directly: the home screen asks before anything has loaded pydantic."""
        from ..regions import region_chain
        chain = region_chain("310000")
        rows = self.conn.execute(
            "SELECT c.number, substr(c.accident_at, 1, 10), n.name FROM cases c,"
            " (SELECT 1 AS k, 'benefit_base' AS name UNION ALL SELECT 2, 'hospital_food_daily') n"
            " WHERE c.state IN ('confirmed', 'appraisal', 'appraised') AND NOT EXISTS (SELECT 1 FROM parameters p"
            f" WHERE p.name = n.name AND p.region IN ({','.join('?' * len(chain))})"
            " AND p.valid_from <= substr(c.accident_at, 1, 10)"
            " AND (p.valid_to IS NULL OR p.valid_to >= substr(c.accident_at, 1, 10)))"
            " ORDER BY c.accident_at, c.number, n.k", chain).fetchall()  # the earliest first
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
                         valid_from: str, valid_to: str | None = None) -> tuple[Parameter, Change]:
        """Correct a figure; the audit log keeps what it was before."""
        from ..permissions import require
        require(actor, "parameter.write")
        _check_param(value, source, valid_from, valid_to)
        with self.atomic():
            row = self._update("parameters", param_id, {"value": value, "status": ParamStatus(status).value,
                                                        "source": source, "valid_from": valid_from,
                                                        "valid_to": valid_to}, actor, what="参数")
        return models.Parameter.from_row(row), self.change("parameters", ids=[param_id], summary=f"修改参数 {row['name']}")


def _check_param(value: str, source: str, valid_from: str, valid_to: str | None) -> None:
    try:
        if Decimal(value) < 0:
            raise FieldError("数值", "不能为负数")
    except InvalidOperation:
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
