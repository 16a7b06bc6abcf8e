"""Pinyin keys of Chinese names, so lists sort as people expect (张 under Z) and a
name is found by its full pinyin or its initials ("zhangwei", "zw") as well as by
its characters. The readings come from pypinyin's character table (loaded on
first use, ~1 s); a surname with a special reading (单 Shàn, 曾 Zēng, 解 Xiè …)
is read as a surname. Keys are lower-case ASCII without tones (ü as v)."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Surnames read otherwise than the character's first reading in the table.
SURNAMES = {"单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
            "盖": "ge", "乐": "yue", "尉": "yu", "缪": "miao", "翟": "zhai", "秘": "bi", "种": "chong",
            "覃": "qin", "召": "shao", "繁": "po", "长": "chang", "重": "chong", "沈": "shen", "石": "shi",
            "任": "ren", "万": "wan", "宁": "ning", "柏": "bai", "薄": "bo", "燕": "yan", "员": "yun",
            "華": "hua", "华": "hua", "纪": "ji", "莘": "shen", "隗": "wei", "句": "gou"}


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict
    return pinyin_dict


@lru_cache(maxsize=8192)
def _reading(ch: str) -> str:
    raw = _table().get(ord(ch))
    if not raw:
        return ""
    first = unicodedata.normalize("NFD", raw.split(",")[0]).replace("u\u0308", "v")  # 吕 lǚ -> lv
    return "".join(c for c in first if not unicodedata.combining(c)).lower()


def syllables(name: str) -> list[str]:
    """One syllable per Chinese character; Latin letters and digits are kept as they are."""
    out: list[str] = []
    text = unicodedata.normalize("NFKC", name or "").strip()
    for i, ch in enumerate(text):
        if ch.isascii():
            if ch.isalnum():
                if out and out[-1].isascii() and not _is_cjk(text[i - 1]):
                    out[-1] += ch.lower()
                else:
                    out.append(ch.lower())
            continue
        if i == 0 and ch in SURNAMES:
            out.append(SURNAMES[ch])
            continue
        r = _reading(ch)
        if r:
            out.append(r)
    return out


def _is_cjk(ch: str) -> bool:
    return not ch.isascii()


def full(name: str) -> str:
    """张伟 -> zhangwei"""
    return "".join(syllables(name))


def sort_key(name: str) -> str:
    """陈坚维 -> "chen jian wei 陈坚维": syllable by syllable, so 陈 (chen) comes before 程 (cheng)
    and 万 (wan) before 王 (wang); the characters break ties between homophones."""
    return " ".join(syllables(name)) + " " + (name or "").strip()


def initials(name: str) -> str:
    """张伟 -> zw"""
    return "".join(s[0] for s in syllables(name) if s)


def is_pinyin_query(text: str) -> bool:
    """A search typed in Latin letters (no digits): look it up as pinyin."""
    t = text.strip().replace(" ", "")
    return bool(t) and t.isascii() and t.isalpha()
