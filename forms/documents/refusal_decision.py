"""不予确认职业伤害结论书 — as the confirmation decision, with the reasons."""
from forms.documents.confirmation_decision import decision

CODE = "refusal_decision"
REVISION = "2026-2"


def layout(v, c):
    return decision(v, c, reasons=v.reasons)
