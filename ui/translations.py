"""Qt's own words in Chinese: the standard buttons of message boxes (是 / 否 / 取消 /
放弃), the file dialogs, the context menu of text boxes. Without a translator they
appear in English in an otherwise Chinese program."""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

LOCALE = "zh_CN"


def install_translator(app) -> bool:
    """Load Qt's Chinese catalogue (shipped with PySide6, kept in the bundle) into `app`.
    Returns whether it was found; the program works in English-labelled buttons otherwise."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)  # parented to the application: it lives as long as the program
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{LOCALE}", path):
        return False
    app.installTranslator(translator)
    return True
