"""Qt's own buttons speak Chinese like the rest of the program."""
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.translations import install_translator


def test_message_box_buttons_are_in_chinese(qapp):
    before = set(qapp.findChildren(QTranslator))
    assert install_translator(qapp)
    try:
        box = QMessageBox(QMessageBox.Icon.Question, "放弃输入？", "已输入的内容尚未保存，确定放弃吗？",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Discard,
                                                                 QMessageBox.StandardButton.Cancel)}
        assert texts == {"丢弃", "取消"}  # Qt's own Chinese catalogue
    finally:
        for t in set(qapp.findChildren(QTranslator)) - before:
            QApplication.removeTranslator(t)
