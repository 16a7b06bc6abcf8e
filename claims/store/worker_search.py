"""Worker search: any part of the name, the ID number or the mobile.

Names go through ``worker_name_grams`` (single characters and pairs). Digits
(an ID number's check character X too) of three or more go through the FTS5
index ``worker_digits`` (migration 人员号码任意几位检索): each worker's
document is every run of four characters of both numbers, and the last three
of each, as words. Four digits are one word, found exactly; three are the
words that begin with them (a prefix query); longer runs are the words they
are made of, and the few rows that have all of them are checked with instr().
So every worker whose ID number or mobile contains the digits is found, and
no one else. One or two digits match the end of either number only (as the
start or anywhere they would match nearly everyone).

Order: people whose ID number or mobile ends with the digits come first (the
last digits are what a clerk usually types), then the others, each group in
the chosen order. A page is read from the first group and then the second;
the second is either gathered and sorted (few matches), or read off the
index of the sort column, keeping the matches (many matches: the first page of
"1985" among 1,000,000 people is the first fifty of the 26,000 in name order).
A name search of one or two characters is paged the same way, and counted from
its index alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from ..lazy import lazy_import
from ..permissions import narrow, own_platform, own_station
from ..pinyin import is_pinyin_query
from .base import Actor, StoreBase

if TYPE_CHECKING:
    from ..models import Worker

models = lazy_import("claims.models")

WORKER_SORTS = {"name": "w.name_sort", "id_number": "w.id_number", "phone": "w.phone",  # names in pinyin order
                "birth_date": "w.birth_date", "created_at": "w.created_at", "gender": "w.gender",
                "platform": "(SELECT min(p.name) FROM enrollments e JOIN platforms p ON p.id = e.platform_id"
                            " WHERE e.worker_id = w.id)"}
INDEXED_SORTS = frozenset({"name", "id_number", "phone"})  # sort columns with an index to read a page off
WALK_FROM = 3000  # matches from which a page is read off the sort column's index instead of sorting them all
_DIGITS = re.compile(r"[0-9X]+")
_FTS = "SELECT rowid FROM worker_digits WHERE worker_digits MATCH ?"


@dataclass
class WorkerFilter:
    text: str = ""
    platform_id: str | None = None
    station_id: str | None = None
    industry: str | None = None
    status: str | None = None
    sort: str = "name"
    descending: bool = False
    extra: dict = field(default_factory=dict)


def digit_query(digits: str) -> str:
    """The FTS5 query for digits of three or more: the four-character words they
    begin (three) or are (four); for more, two of the words they are made of,
    taken from their end (the start of a number is the common part: an area
    code, a birth year, a mobile prefix), and the rows found are checked."""
    if len(digits) == 3:
        return f'"{digits}" *'
    if len(digits) == 4:
        return f'"{digits}"'
    other = digits[-8:-4] if len(digits) >= 8 else digits[:4]
    return f'"{digits[-4:]}" AND "{other}"'


def digit_words(id_number: str, phone: str) -> str:
    """A worker's document in ``worker_digits``: the words the migration's SQL makes of
    the two numbers (``schema._digit_words``; they must be the same, or a later delete
    by the triggers would take out other words than these)."""
    return " ".join(x[k:k + 4] for x in (id_number, phone) for k in range(min(len(x) - 2, 24)))


Cond = tuple[str, list]  # an SQL condition on ``workers w`` and its arguments


@dataclass
class _Where:
    """One search: who matches the text, and the enrollment filters (a station manager's scope)."""
    match: list[Cond] = field(default_factory=list)
    scope: list[Cond] = field(default_factory=list)
    digits: str | None = None
    gram: str | None = None  # a name search of one or two characters: the one gram it is
    enrolled: tuple[list[str], list] = ([], [])  # the enrollment filters, on ``enrollments e``

    def sql(self, match: list[Cond] | None = None, *, walk: bool = False) -> tuple[str, list]:
        """(" WHERE …", arguments). ``walk``: the planner is kept off the rowid lists ('+'),
        so that it reads the sort column's index in order and keeps the rows in them."""
        conds = [*(self.match if match is None else match), *self.scope]
        if not conds:
            return "", []
        sql = " AND ".join(c for c, _a in conds)
        if walk:
            sql = sql.replace("w.rowid IN (", "+w.rowid IN (")
        return " WHERE " + sql, [a for _c, args in conds for a in args]


def _ends_with(digits: str) -> Cond:
    """ID number or mobile ending with the digits, through the indexes of the reversed numbers."""
    tail = digits[::-1] + "*"
    return ("w.rowid IN (SELECT rowid FROM workers WHERE id_rev GLOB ?"
            " UNION SELECT rowid FROM workers WHERE phone_rev GLOB ?)", [tail, tail])


def _not_ending_with(digits: str) -> Cond:
    tail = digits[::-1] + "*"
    return "NOT (w.id_rev GLOB ? OR w.phone_rev GLOB ?)", [tail, tail]


class WorkerSearchMixin(StoreBase):
    def _insert_workers_bulk(self, sql: str, rows: list[tuple], numbers: list[tuple[int, str, str]]) -> None:
        """``executemany(sql, rows)``, an INSERT of workers on a bulk path (imports, the demo),
        inside its transaction; their digit words and the count of workers are then added a
        batch at a time, the per-row triggers standing aside meanwhile (migration
        人员号码任意几位检索). ``numbers``: (rowid, ID number, mobile) of each row inserted."""
        c = self.conn
        c.execute("INSERT INTO bulk_write (what) VALUES ('workers')")
        try:
            c.executemany(sql, rows)
        finally:
            c.execute("DELETE FROM bulk_write WHERE what = 'workers'")
        c.executemany("INSERT INTO worker_digits (rowid, words) VALUES (?, ?)",
                      [(rowid, digit_words(idn, phone)) for rowid, idn, phone in numbers])
        c.execute("UPDATE row_counts SET n = n + ? WHERE table_name = 'workers'", (len(numbers),))

    @staticmethod
    def _digits(f: WorkerFilter) -> str | None:
        text = f.text.strip().upper().replace(" ", "")
        return text if text and _DIGITS.fullmatch(text) else None

    def _worker_where(self, f: WorkerFilter, actor: Actor | None) -> _Where:
        w = _Where(digits=self._digits(f))
        text = f.text.strip()
        if w.digits:
            d = w.digits
            if len(d) >= 3:
                w.match.append((f"w.rowid IN ({_FTS})", [digit_query(d)]))
                if len(d) > 4:
                    w.match.append(("(instr(w.id_number, ?) > 0 OR instr(w.phone, ?) > 0)", [d, d]))
            else:
                w.match.append(_ends_with(d))
        elif is_pinyin_query(text):  # zhangwei or zw: the start of the full pinyin or of the initials
            q = text.lower()
            w.match.append(("w.rowid IN (SELECT rowid FROM workers WHERE name_pinyin GLOB ?"
                            " UNION SELECT rowid FROM workers WHERE name_initials GLOB ?)", [q + "*", q + "*"]))
        elif text:
            chars = [c for c in text if not c.isspace()]
            grams = [a + b for a, b in zip(chars, chars[1:])] or chars
            for g in grams[:4]:
                w.match.append(("w.rowid IN (SELECT worker_rowid FROM worker_name_grams WHERE gram = ?)", [g]))
            if len(chars) > 2:
                w.match.append(("instr(w.name, ?) > 0", [text]))
            else:
                w.gram = grams[0]
        enroll_conds, enroll_args = [], []
        for col, val in (("platform_id", narrow(own_platform(actor), f.platform_id)),
                         ("station_id", narrow(own_station(actor), f.station_id)),
                         ("industry", f.industry), ("status", f.status)):
            if val:
                enroll_conds.append(f"e.{col} = ?")
                enroll_args.append(val)
        if enroll_conds:
            w.enrolled = (enroll_conds, enroll_args)
            w.scope.append(("EXISTS (SELECT 1 FROM enrollments e WHERE e.worker_id = w.id AND "
                            + " AND ".join(enroll_conds) + ")", enroll_args))
        return w

    # -- the public three ---------------------------------------------------------------
    def count_workers(self, f: WorkerFilter | None = None, actor: Actor | None = None) -> int:
        f = f or WorkerFilter()
        w = self._worker_where(f, actor)
        if not w.scope:  # the index alone: one row per worker, each match exact
            if not w.match:  # everyone: kept by triggers (migration 人员总数)
                return self.conn.execute("SELECT n FROM row_counts WHERE table_name = 'workers'").fetchone()[0]
            if w.digits and 3 <= len(w.digits) <= 4:
                return self._digit_hits(w.digits)
            if w.gram:
                return self._gram_hits(w.gram)
        elif not w.match:  # the enrollments alone (a station's people, a platform's): their index
            conds, args = w.enrolled
            return self.conn.execute("SELECT count(DISTINCT e.worker_id) FROM enrollments e WHERE "
                                     + " AND ".join(conds), args).fetchone()[0]
        where, args = w.sql()
        return self.conn.execute(f"SELECT count(*) FROM workers w{where}", args).fetchone()[0]

    def search_workers(self, f: WorkerFilter | None = None, *, offset: int = 0, limit: int = 100,
                       actor: Actor | None = None) -> list[Worker]:
        f = f or WorkerFilter()
        w = self._worker_where(f, actor)
        order = WORKER_SORTS.get(f.sort, "w.name_sort") + (" DESC" if f.descending else "")
        if w.digits:
            rows = self._digit_page(w, f, order, offset, limit)
        elif w.gram and f.sort == "name":
            rows = self._name_page(w, f, order, offset, limit)
        else:
            walk = w.gram is not None and self._walk(f, self._gram_hits(w.gram), offset, limit, together=False)
            rows = self._page(w.sql(walk=walk), order, offset, limit)
        return [models.Worker.from_row(dict(r)) for r in rows]

    def iter_workers(self, f: WorkerFilter | None = None, actor: Actor | None = None) -> Iterator[Worker]:
        """All matching workers, streamed (exports, `list workers`), in the order the list shows them."""
        f = f or WorkerFilter()
        w = self._worker_where(f, actor)
        where, args = w.sql()
        order = WORKER_SORTS.get(f.sort, "w.name_sort")
        if w.digits:  # those whose number ends with the digits first
            cond, tail = _not_ending_with(w.digits)
            order = f"{cond}, {order}"
            args += tail
        for r in self.conn.execute(f"SELECT w.* FROM workers w{where} ORDER BY {order}, w.id", args):
            yield models.Worker.from_row(dict(r))

    # -- digits -------------------------------------------------------------------------
    def _digit_hits(self, digits: str) -> int:
        """Workers the index finds for the digits (three or more): the matches when there
        are three or four, an upper bound when there are more."""
        return self._hits("SELECT count(*) FROM worker_digits WHERE worker_digits MATCH ?", digit_query(digits))

    def _gram_hits(self, gram: str) -> int:
        """Workers whose name has the character or pair."""
        return self._hits("SELECT count(*) FROM worker_name_grams WHERE gram = ?", gram)

    def _hits(self, sql: str, arg: str) -> int:
        """A count kept until the data change: the count beside the box and the page both ask."""
        key = (sql, arg, self.conn.total_changes, self.conn.execute("PRAGMA data_version").fetchone()[0])
        if self._hits_memo[0] != key:
            self._hits_memo = (key, self.conn.execute(sql, (arg,)).fetchone()[0])
        return self._hits_memo[1]

    _hits_memo: tuple = (None, 0)

    def _digit_page(self, w: _Where, f: WorkerFilter, order: str, offset: int, limit: int) -> list:
        """One page: first those whose number ends with the digits, then the others."""
        d = w.digits
        if len(d) < 3:  # everyone found ends with them
            return self._page(w.sql(walk=self._walk(f, None, offset, limit, together=f.sort != "name")),
                              order, offset, limit)
        ends = w.sql([_ends_with(d)])
        first = self.conn.execute(f"SELECT count(*) FROM workers w{ends[0]}", ends[1]).fetchone()[0]
        rows = []
        if offset < first:
            take = min(limit, first - offset)
            walk = self._walk(f, first, offset, take, together=f.sort != "name")
            rows = self._page(w.sql([_ends_with(d)], walk=walk), order, offset, take)
        rest = limit - len(rows)
        if rest > 0:
            start = max(0, offset - first)
            others = w.sql([*w.match, _not_ending_with(d)],
                           walk=self._walk(f, self._digit_hits(d), start, rest, together=f.sort != "name"))
            rows += self._page(others, order, start, rest)
        return rows

    def _walk(self, f: WorkerFilter, hits: int | None, offset: int, limit: int, *, together: bool) -> bool:
        """Whether to read the page off the sort column's index, keeping the matches, rather
        than gather every match and sort them. Worth it when there are many (``hits``; None:
        a tenth of everyone) spread through the sort order; not when they lie together in
        it (``together``: digits by mobile or ID number, a surname by name), where the
        read would pass everyone before them first."""
        if together or f.sort not in INDEXED_SORTS:
            return False
        if hits is None:
            return True
        if hits < WALK_FROM:
            return False
        everyone = self.conn.execute("SELECT max(rowid) FROM workers").fetchone()[0] or 0
        return (offset + limit) * everyone / hits < 20 * hits  # index entries read vs rows gathered

    def _name_page(self, w: _Where, f: WorkerFilter, order: str, offset: int, limit: int) -> list:
        """A page in name order of a search of one or two characters. Names that begin with
        them (a surname: most of the matches) lie together in the name index, and are read
        off it; the names that have them further on are spread through it: read off it too
        when many, else gathered and sorted. The page is the first of both, merged."""
        g = w.gram
        begins = ("w.name >= ? AND w.name < ?", [g, g + "\U0010ffff"])
        first = self.conn.execute("SELECT count(*) FROM workers w WHERE w.name >= ? AND w.name < ?",
                                  begins[1]).fetchone()[0]
        prefix = self._sort_prefix(g) if order.startswith("w.name_sort") else None
        if prefix:  # the list's order is pinyin: those names lie together in its index too, read off it
            begins = ("+w.name >= ? AND +w.name < ? AND w.name_sort >= ? AND w.name_sort < ?",
                      [g, g + "\U0010ffff", prefix, prefix + "\U0010ffff"])
        elsewhere_hits = self._gram_hits(g) - first
        n = offset + limit
        head, head_args = w.sql([begins])
        walk = self._walk(f, elsewhere_hits, 0, n, together=False)
        further = ("w.rowid IN (SELECT worker_rowid FROM worker_name_grams WHERE gram = ?"
                   " EXCEPT SELECT rowid FROM workers WHERE name >= ? AND name < ?)", [g, g, g + "\U0010ffff"])  # two indexes
        tail, tail_args = w.sql([further], walk=walk)
        return self.conn.execute(
            f"SELECT * FROM (SELECT w.* FROM workers w{head} ORDER BY {order}, w.id LIMIT ?)"
            f" UNION ALL SELECT * FROM (SELECT w.* FROM workers w{tail} ORDER BY {order}, w.id LIMIT ?)"
            f" ORDER BY {order.replace('w.', '')}, id LIMIT ? OFFSET ?",
            (*head_args, n, *tail_args, n, limit, offset)).fetchall()

    def _sort_prefix(self, start: str) -> str | None:
        """How the pinyin sort key (claims/pinyin.sort_key: "wan jun 万军") of every name that
        begins with ``start`` begins ("wan "), read off a stored name that begins with it, or
        None when that cannot be told. A key has one syllable per character read, so when the
        stored name's key has as many syllables as the name has characters, every character of
        ``start`` was read, the same way in every name (a character's reading depends only on
        whether it comes first): their keys all begin with those syllables."""
        if not start or any(ch.isascii() for ch in start):
            return None
        r = self.conn.execute("SELECT name, name_sort FROM workers WHERE name >= ? AND name < ? LIMIT 1",
                              (start, start + "\U0010ffff")).fetchone()
        if r is None:
            return None
        name, key = r[0], r[1] or ""
        words = key[:-len(name) - 1].split(" ") if key.endswith(" " + name) else []
        if any(ch.isascii() for ch in name) or len(words) != len(name) or not all(words):
            return None
        return " ".join(words[:len(start)]) + " "

    def _page(self, where: tuple[str, list], order: str, offset: int, limit: int) -> list:
        sql, args = where
        return self.conn.execute(f"SELECT w.* FROM workers w{sql} ORDER BY {order}, w.id LIMIT ? OFFSET ?",
                                 (*args, limit, offset)).fetchall()
