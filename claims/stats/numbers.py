"""Small statistics on plain numbers: median, nearest-rank percentile, a
ratio that is None when there is nothing to divide by, and the split of an
amount in fen pro rata to weights by largest remainder (``allocate``),
which ``split_payment`` uses to share a benefit payment over the items of
its assessment."""
from __future__ import annotations

import math
from typing import Iterable, Sequence

from ..i18n import _


def median(values: Sequence[float]) -> float | None:
    v = sorted(values)
    n = len(v)
    if not n:
        return None
    mid = n // 2
    return float(v[mid]) if n % 2 else (v[mid - 1] + v[mid]) / 2


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least ``p`` % of values at or below it."""
    v = sorted(values)
    if not v:
        return None
    rank = max(1, math.ceil(p / 100 * len(v)))
    return float(v[rank - 1])


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    """numerator ÷ denominator, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` fen pro rata to ``weights``; the fen left by rounding
    down go to the largest remainders (ties: the earlier item). The parts add
    up to ``amount`` exactly. All-zero weights: split evenly."""
    n = len(weights)
    if not n:
        return []
    total = sum(weights)
    if total <= 0:
        weights, total = [1] * n, n
    base = [amount * w // total for w in weights]
    left = amount - sum(base)
    order = sorted(range(n), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:left]:
        base[i] += 1
    return base


def split_payment(amount_fen: int, kind: str, items: Iterable[dict]) -> list[tuple[str, str, str, int]]:
    """A payment's share of each item of its assessment: (code, name, period, fen).

    ``items`` are the assessment's ``result_json['items']`` (amount in yuan as
    text). Only items whose period equals the payment's kind take a share."""
    from ..money import to_fen
    same = [i for i in items if i.get("period") == kind]
    if not same:
        return [("unitemized", _("未分项"), kind, amount_fen)]
    parts = allocate(amount_fen, [to_fen(str(i.get("amount") or "0")) for i in same])
    return [(str(i.get("code", "")), str(i.get("name", "")), kind, p) for i, p in zip(same, parts)]
