"""Printed documents: claims views in, PDF bytes out (reportlab; no Qt, no database).

Public API lives in ``forms.render``; import it lazily (reportlab is heavy).
"""
