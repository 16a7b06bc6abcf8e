"""From a case to a benefit assessment: the engine's input filled from the
records (current appraisal, worker's birth date and gender for the retirement
age, treatment end, death, dependants in order, what earlier assessments
granted), computed and saved with everything the screens and notices need."""
from __future__ import annotations

import json
from datetime import datetime

from ..change import Change
from ..money import fen_to_str, to_fen
from .base import Actor, StoreBase


class AssessMixin(StoreBase):
    def death_input(self, case_id: str) -> dict:
        """The death facts as the engine takes them, with the dependants' ids in input
        order (``dependant_ids``: not engine input, kept with the assessment)."""
        c = self.case(case_id)
        deps = self.dependants_of(case_id)
        return {"death_date": c.death_date.isoformat() if c.death_date else None, "death_cause": c.death_cause,
                "dependants": [{"relation": d.relation.value, "lone_elder": d.lone_elder, "orphan": d.orphan,
                                "name": d.name, "birth_date": d.birth_date.isoformat() if d.birth_date else None,
                                "end_date": d.end_on.isoformat() if d.end_on else None, "end_reason": d.end_reason}
                               for d in deps],
                "dependant_ids": [d.id for d in deps]}

    def previous_input(self, case_id: str) -> dict | None:
        """What earlier approved assessments granted: the grade of the latest and the
        one-off amounts per item (for a re-appraisal or review appraisal)."""
        once: dict[str, int] = {}
        grade = None
        for a in self.assessments_of(case_id):
            if a.status != "approved":
                continue
            res = json.loads(a.result_json or "{}")
            for it in res.get("items", []):
                if it.get("period") == "once":
                    once[it["code"]] = once.get(it["code"], 0) + to_fen(it["amount"])
            grade = (res.get("input") or {}).get("disability_grade", grade)
        if not once:
            return None
        return {"disability_grade": grade, "once": {k: fen_to_str(v) for k, v in once.items()}}

    def benefit_input(self, case_id: str, *, outcome: str | None = None, region: str = "310000",
                      medical: dict | None = None, parameters: dict | None = None) -> tuple[dict, list[str]]:
        """The engine input of a case from its records, and the dependants' ids in
        input order. ``outcome`` defaults to death when a death is recorded, else to
        disability when the current appraisal has a grade, else injury (always injury,
        medical items only, for a relapse)."""
        c = self.case(case_id)
        w = self.worker(c.worker_id)
        apps = [a for a in self.appraisals_of(case_id) if a.current]
        app = apps[-1] if apps else None
        outcome = outcome or ("injury" if c.relapse_of else "death" if c.dead else "disability" if app and app.grade else "injury")
        d: dict = {"region": region, "accident_date": c.accident_at.date().isoformat(), "outcome": outcome,
                   "worker_birth_date": w.birth_date.isoformat(), "worker_gender": w.gender}
        if c.treatment_end_on:
            d["treatment_end_date"] = c.treatment_end_on.isoformat()
        ids: list[str] = []
        if outcome == "disability" or (outcome == "death" and c.death_cause == "other"):
            d["disability_grade"] = app.grade if app else None
        if outcome == "disability" and app:
            d["care_level"] = app.care_level
            d["appraisal_date"] = app.concluded_on.isoformat()
        if outcome == "death":
            facts = self.death_input(case_id)
            ids = facts.pop("dependant_ids")
            d.update(facts)
        prev = self.previous_input(case_id)
        if prev:
            d["previous"] = prev
        if medical:
            d["medical"] = medical
        if parameters:
            d["parameters"] = parameters
        return d, ids

    def assess(self, actor: Actor, case_id: str, *, at: datetime | None = None, table=None,
               **kw) -> tuple[object, Change]:
        """Compute the assessment of a case from its records and save it (a draft
        for another user to approve). Keyword arguments go to ``benefit_input``."""
        from ..benefits import assessment_to_json, compute, parse_input
        inp, ids = self.benefit_input(case_id, **kw)
        a = compute(parse_input(inp), table or self.parameter_table())
        return self.save_assessment(actor, case_id, {**assessment_to_json(a, record=True), "input": inp,
                                                     "dependant_ids": ids}, at=at)
