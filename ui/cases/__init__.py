"""The case screens' dialogs and panels (the section itself is ui/sections/cases.py)."""
