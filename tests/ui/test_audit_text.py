"""The audit log reads as sentences: who (their name) changed which field (its label)
of which record (its natural identifier) from what to what — numbers masked, codes
as labels, no table or field names, no logins."""
import re

import pytest

from claims.store import Actor
from ui.context import AppContext
from ui.settings.audit_tab import AuditTab

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_audit_entries_read_as_sentences(qtbot, store):
    admin = store.setup_first_admin("Admin2026")
    store.add_user(admin, username="li", display_name="李经办", role="insurer_agent", password="Agent2026")
    li = store.authenticate("li", "Agent2026")
    w, _ = store.add_worker(li, {"name": "张伟", "id_number": "110105198512310029", "phone": "13812345678"})
    store.update_worker(li, w.id, {**w.model_dump(), "phone": "13987654321"})
    p, _ = store.add_platform(admin, name="美团", industries=["food_delivery"])
    store.enroll(li, worker_id=w.id, platform_id=p.id, industry="food_delivery", start_on="2025-01-01")
    tab = AuditTab(AppContext(store=store, actor=admin, version="t"))
    qtbot.addWidget(tab)
    tab.reload()
    lines = [tab.table.item(r, 2).text() for r in range(tab.table.rowCount())]
    assert "李经办 修改了人员“张伟（110***********0029）”：手机号码由 138****5678 改为 139****4321。" in lines
    assert any(line.startswith("李经办 新增了参保登记“张伟 · 美团”") for line in lines)
    text = "\n".join(lines)
    for internal in ("workers", "phone", "enrollments", "li ", "insert", "13987654321", "_id"):
        assert internal not in text, internal
    assert not re.search(r"[0-9a-f]{32}", text)  # no internal ids
    tab.user.setText("李经办")  # found by the name people know
    tab.reload()
    assert tab.table.rowCount() and all("李经办" in tab.table.item(r, 2).text() for r in range(tab.table.rowCount()))
