"""The PySide6 interface. Nothing imports ui except main.py."""
