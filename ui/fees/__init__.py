"""The fees section's screens: declarations, reconciliation, order import,
the coverage question and the per-order amounts (ui/sections/fees.py holds them)."""
