"""Every payee's account has its holder (户名): a worker's and a claimant's account may be
held by someone else; the holder is kept only when it is not the person, the account
number is checked, and what the documents print as the payee is the holder."""
import pytest

from claims.errors import FieldError
from claims.store import Actor

ADMIN = Actor("admin", role="admin")
ID = "110105198512310029"


def test_a_workers_account_holder(store):
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": ID, "phone": "13812345678",
                                    "bank_card": "6222021234567890128", "bank_name": "工商银行", "bank_holder": "张伟"})
    assert w.bank_holder == ""  # the person themself
    w, _ = store.update_worker(ADMIN, w.id, {**w.model_dump(), "bank_holder": "李芳"})
    assert w.bank_holder == "李芳"
    with pytest.raises(FieldError, match="银行账号"):
        store.update_worker(ADMIN, w.id, {**w.model_dump(), "bank_card": "6222-02"})  # not a plausible account
    with pytest.raises(FieldError, match="户名"):
        store.update_worker(ADMIN, w.id, {**w.model_dump(), "bank_holder": "<b>李芳</b>"})


def test_the_payee_printed_is_the_holder(store):
    from datetime import datetime, timedelta

    from claims.printing.benefit_docs import _payee
    from claims.timeutil import SHANGHAI
    p, _ = store.add_platform(ADMIN, name="美团", industries=["instant_delivery"])
    w, _ = store.add_worker(ADMIN, {"name": "张伟", "id_number": ID, "phone": "13812345678",
                                    "bank_card": "6222021234567890128", "bank_name": "工商银行", "bank_holder": "李芳"})
    at = datetime(2025, 9, 3, 10, 0, tzinfo=SHANGHAI)
    c, _ = store.report_case(ADMIN, worker_id=w.id, platform_id=p.id, industry="instant_delivery", accident_at=at,
                             reported_at=at + timedelta(hours=1), description="摔倒")

    class CF:
        case, worker = store.case(c.id), store.worker(w.id)
        dependants = []
    payee = _payee(CF())
    assert (payee.name, payee.relation) == ("李芳", "代领人")
    c2, _ = store.set_claimant(ADMIN, c.id, {"name": "王芳", "relation": "配偶", "bank": "中国银行",
                                             "account": "6222021234567890128", "holder": "王芳"})
    assert c2.claimant_holder == ""
