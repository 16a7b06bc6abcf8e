"""What `check` and `audit verify` look at besides the audit chain: the schema
is exactly what the migrations created (a trigger, view, index or table planted
in the file is named), and every attached file is still there with the content
its hash says (case documents' scans live outside the database, in
``<db stem>.files/xx/<sha256>``)."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterator

from .db import Connection, connect
from .schema import MIGRATIONS

KINDS = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}


def _norm(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _objects(conn: Connection) -> dict[tuple[str, str], str]:
    return {(t, n): _norm(s) for t, n, s in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}


_expected_cache: dict[int, dict] = {}


def expected_schema(version: int) -> dict[tuple[str, str], str]:
    """The schema objects the migrations up to ``version`` create (in a scratch database)."""
    if version not in _expected_cache:
        from .base import _register_functions, _split_sql
        scratch = connect(":memory:")
        _register_functions(scratch)  # migrations may call the store's own SQL functions
        for number, _d, sql in MIGRATIONS:
            if number <= version:
                for stmt in _split_sql(sql):
                    scratch.execute(stmt)
        _expected_cache[version] = _objects(scratch)
        scratch.close()
    return _expected_cache[version]


def schema_problems(conn: Connection, version: int) -> list[str]:
    """Objects the program did not create, or whose definition was changed, or that are missing."""
    expected, actual = expected_schema(version), _objects(conn)
    out = []
    for (kind, name), sql in sorted(actual.items()):
        if (kind, name) not in expected:
            out.append(f"数据库中有程序没有建立的{KINDS.get(kind, kind)}“{name}”（在程序之外加入）")
        elif expected[(kind, name)] != sql:
            out.append(f"{KINDS.get(kind, kind)}“{name}”的定义在程序之外被改动")
    for kind, name in sorted(set(expected) - set(actual)):
        out.append(f"缺少程序建立的{KINDS.get(kind, kind)}“{name}”（在程序之外被删除）")
    return out


# -- attached files -------------------------------------------------------------
def files_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".files")


def stored_file(db_path: Path, digest: str) -> Path:
    return files_dir(db_path) / digest[:2] / digest


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def attached(conn: Connection) -> Iterator[tuple[str, str, str]]:
    """(content hash, case number, file name) of every attached file, one per hash."""
    yield from conn.execute(
        "SELECT d.content_hash, min(c.number), min(d.file_name) FROM case_documents d JOIN cases c ON c.id = d.case_id"
        " WHERE d.content_hash != '' GROUP BY d.content_hash ORDER BY 2")


def attachment_problems(conn: Connection, db_path: Path) -> list[str]:
    """Each attached file that is missing, or whose content no longer matches its hash."""
    out = []
    for digest, number, name in attached(conn):
        path = stored_file(db_path, digest)
        if not path.is_file():
            out.append(f"案件 {number} 的材料文件“{name}”缺失（{path}）")
        elif file_sha256(path) != digest:
            out.append(f"案件 {number} 的材料文件“{name}”已被替换或改动（内容与登记时的哈希不符）")
    return out


def keep_file(db_path: Path, src: Path, digest: str) -> Path:
    """Copy an attached file into the store under its hash, readable by the owner only
    (folders 0700, file 0600); a copy already there with the right content is kept,
    a damaged one replaced. Written to a temporary name first: never half a file."""
    import shutil

    from ..private import private_dir, private_output
    dest = stored_file(db_path, digest)
    if dest.is_file() and file_sha256(dest) == digest:
        return dest
    private_dir(files_dir(db_path))
    private_dir(dest.parent)
    with private_output(dest) as tmp:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout)
    return dest
