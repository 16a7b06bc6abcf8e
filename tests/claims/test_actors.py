"""Actors come only from a successful login or the command line's OS user; the
GUI's context refuses any other, so no screen can act as someone who did not log in."""
import pytest

from claims.cli import cli_actor
from claims.errors import PermissionDenied
from claims.store import Actor


def test_a_login_and_the_command_line_issue_actors(store):
    admin = store.setup_first_admin("admin12345")
    assert admin.issued and admin.role == "admin"
    again = store.authenticate("admin", "admin12345")
    assert again.issued and again.username == "admin"
    assert cli_actor().issued and cli_actor().username.startswith("cli:")
    assert not Actor("admin", role="admin").issued  # a free constructor proves nothing
    assert again == Actor("admin", role="admin", display_name=again.display_name)  # compared as before


def test_the_gui_refuses_an_actor_that_did_not_log_in(store):
    pytest.importorskip("PySide6")
    from ui.context import AppContext
    with pytest.raises(PermissionDenied, match="请先登录"):
        AppContext(store=store, actor=Actor("admin", role="admin"), version="t")
    with pytest.raises(PermissionDenied):
        AppContext(store=store, actor=None, version="t")
    admin = store.setup_first_admin("admin12345")
    assert AppContext(store=store, actor=admin, version="t").actor is admin


def test_opening_the_main_window_needs_the_logged_in_actor(store):
    pytest.importorskip("PySide6")
    import argparse

    from ui.app import open_main_window
    with pytest.raises(PermissionDenied):
        open_main_window(argparse.Namespace(db=str(store.path), demo=False), "t", store=store)
