"""Small helpers that turn records into the detail pane's HTML."""
from __future__ import annotations

from html import escape


def h(text) -> str:
    return escape("" if text is None else str(text))


def table(rows: list[tuple[str, object]]) -> str:
    body = "".join(f"<tr><td style='color:#555;padding:2px 12px 2px 0;white-space:nowrap'>{h(k)}</td>"
                   f"<td style='padding:2px 0'>{h(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def grid(headers: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return "<p style='color:#888'>（无）</p>"
    head = "".join(f"<th style='text-align:left;padding:2px 10px 2px 0;border-bottom:1px solid #ccc'>{h(x)}</th>"
                   for x in headers)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 10px 2px 0'>{h(c)}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table cellspacing='0'><tr>{head}</tr>{body}</table>"


def title(text: str, sub: str = "") -> str:
    return f"<h2 style='margin:0'>{h(text)}</h2>" + (f"<p style='color:#666;margin-top:2px'>{h(sub)}</p>" if sub else "")


def heading(text: str) -> str:
    return f"<h3 style='margin:14px 0 4px 0'>{h(text)}</h3>"
