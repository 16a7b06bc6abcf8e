"""An encrypted database in the GUI: the login dialog unlocks it for each demo
user (a wrong password opens nothing), and 设置 › 数据加密 turns encryption on
and off for administrators only."""
import argparse

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from claims.demo import DEMO_USERS
from claims.store import Actor, Store, keyring
from claims.store import db as sqlite_db
from claims.store.base import _issue
from ui.app import open_main_window
from ui.login import LoginDialog

SHOTS = "/tmp"


@pytest.fixture(autouse=True)
def _forget_keys():
    sqlite_db._keys.clear()
    yield
    sqlite_db._keys.clear()


def encrypted(demo_db):
    s = Store(demo_db, "T")
    s.encrypt_database(Actor("cli:test", role="admin"))
    s.close()
    sqlite_db.set_key(demo_db, None)
    return demo_db


def test_the_login_unlocks_the_encrypted_database_for_each_user(qtbot, demo_db):
    db = encrypted(demo_db)
    dlg = LoginDialog(None, None, path=db, site_id="T")
    qtbot.addWidget(dlg)
    dlg.show()
    assert "已加密" in dlg.intro.text()
    qtbot.keyClicks(dlg.username, "agent")
    qtbot.keyClicks(dlg.password, "wrong-pass1")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.result_actor is None and dlg.store is None and "还可尝试 4 次" in dlg.error.text()
    assert sqlite_db.key_for(db) is None
    dlg.grab().save(f"{SHOTS}/crypt_login_wrong.png")
    for user, _name, role, password in DEMO_USERS:
        dlg = LoginDialog(None, None, path=db, site_id="T")
        qtbot.addWidget(dlg)
        qtbot.keyClicks(dlg.username, user)
        qtbot.keyClicks(dlg.password, password)
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
        assert dlg.result_actor is not None and dlg.result_actor.role == role, dlg.error.text()
        assert dlg.store.encrypted and dlg.store.counts()["workers"] == 300
        dlg.store.close()
        sqlite_db.set_key(db, None)


def _settings(qtbot, store, actor):
    w = open_main_window(argparse.Namespace(db=str(store.path), demo=False), "t", store=store, actor=actor)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.nav.setCurrentRow(5)
    sec = w.stack.currentWidget()
    sec.tabs.setCurrentWidget(sec.security_tab)
    return w, sec.security_tab


def test_an_administrator_encrypts_and_decrypts_from_settings(qtbot, demo_db, monkeypatch):
    store = Store(demo_db, "T")
    admin = store.authenticate("admin", "admin123")
    w, tab = _settings(qtbot, store, admin)
    assert tab.encrypt_button.isVisible() and tab.encrypt_button.isEnabled() and not tab.table.isVisible()
    w.grab().save(f"{SHOTS}/crypt_settings_plain.png")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: asked.append(a[2]))
    qtbot.mouseClick(tab.encrypt_button, Qt.MouseButton.LeftButton)
    assert store.encrypted and keyring.is_encrypted(demo_db)
    assert "demo.db.keys" in asked[0] and "已加密" in asked[1]
    assert tab.decrypt_button.isVisible() and tab.table.isVisible() and tab.table.rowCount() == len(DEMO_USERS)
    texts = {tab.table.item(r, 0).text(): tab.table.item(r, 3).text() for r in range(tab.table.rowCount())}
    assert texts["agent"].startswith("可以（加密后尚未登录过")
    w.grab().save(f"{SHOTS}/crypt_settings_encrypted.png")
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(tab.decrypt_button, Qt.MouseButton.LeftButton)
    assert not store.encrypted and not keyring.is_encrypted(demo_db) and tab.encrypt_button.isVisible()


def test_only_administrators_may_encrypt(qtbot, demo_db):
    store = Store(demo_db, "T")
    _w, tab = _settings(qtbot, store, _issue(Actor("agent", role="insurer_agent")))
    assert not tab.encrypt_button.isEnabled() and "管理员" in tab.encrypt_button.toolTip()


def test_enter_sends_a_wrong_password_once_and_an_empty_one_never(qtbot, demo_db):
    store = Store(demo_db, "T")
    dlg = LoginDialog(None, store)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.username, "agent")
    qtbot.keyClick(dlg.username, Qt.Key.Key_Return)  # on to the password, nothing sent
    assert dlg.error.text() == "" and dlg.focusWidget() is dlg.password
    qtbot.keyClicks(dlg.password, "wrong-pass1")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert "还可尝试 4 次" in dlg.error.text()
    assert store.conn.execute("SELECT failed_attempts FROM users WHERE username = 'agent'").fetchone()[0] == 1
