"""The one import flow (file, column mapping, dry run, import) shared by the
worker, order and daily-count imports."""
