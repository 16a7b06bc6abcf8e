"""Printing in the GUI: preview (pages as images), print through the system
dialog, save as PDF, batch printing in the background.

    preview_document(parent, ctx, "benefit_notice", case_number)
    batch_print(parent, ctx, [("fee_declaration", number), ...], folder)
"""
from .actions import case_main_document, install_print_shortcut, print_button, worker_main_document
from .batch import BatchResult, ask_batch_print, batch_print
from .preview import PrintPreviewDialog, preview_document

__all__ = ["BatchResult", "PrintPreviewDialog", "ask_batch_print", "batch_print", "case_main_document",
           "install_print_shortcut", "preview_document", "print_button", "worker_main_document"]
