"""帮助 › 使用说明: the short illustrated guide shipped with the program
(resources/help/guide.html, one part per role, screenshots of this program made
by tools/screens.py), opened at the part of the user's role."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from claims.i18n import _
from claims.resources import resources_dir


class GuideDialog(QDialog):
    _open: GuideDialog | None = None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("职保通 — 使用说明"))
        self.browser = QTextBrowser()
        folder = resources_dir() / "help"
        self.browser.setSearchPaths([str(folder)])
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(QUrl.fromLocalFile(str(folder / "guide.html")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("关闭"))
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        self.resize(860, 620)

    def show_role(self, role: str) -> None:
        self.browser.scrollToAnchor(role)

    @classmethod
    def show_for(cls, parent, role: str) -> GuideDialog:
        """Open (or bring forward) the guide beside the window, at the user's role."""
        if cls._open is None or not cls._open.isVisible():
            cls._open = cls(parent)
        cls._open.show()
        cls._open.raise_()
        cls._open.show_role(role)
        return cls._open
