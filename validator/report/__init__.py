"""The report of a run (report.py) and its renderers: rich, json, html."""
