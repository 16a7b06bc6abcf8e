"""The six-digit administrative division codes (GB/T 2260: provinces,
prefecture-level cities, counties and districts), shipped as data in
``resources/regions/gb2260.json`` with its sources and date. Loaded once, on
first use."""
from __future__ import annotations

from functools import cached_property

from .resources import load_json


class _Regions:
    @cached_property
    def _data(self) -> dict:
        return load_json("regions/gb2260.json")

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(self._data["codes"])

    @property
    def as_of(self) -> str:
        return self._data["as_of"]

    def name(self, code: str) -> str:
        return self._data["codes"].get(code, "")


REGIONS = _Regions()
NATIONAL = "000000"


def region_chain(region: str) -> list[str]:
    """Most specific first: the region, its city (xxxx00), province (xx0000), national
    (where a dated parameter is looked for: claims/parameters.py)."""
    chain = [region, region[:4] + "00", region[:2] + "0000", NATIONAL]
    return list(dict.fromkeys(chain))
