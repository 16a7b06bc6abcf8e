"""Public API of ``forms``: turn a document view into PDF bytes.

    result = render("benefit_notice", view, PrintMeta(now(), "陈静", case_number))
    result.pdf, result.code, result.pages
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ValidationError

import hashlib
import json

from claims.docviews import DOCUMENTS, MASKED_AUDIENCES, verification_code
from claims.errors import ClaimsError
from claims.i18n import _
from claims.money import amount_in_words, format_yuan
from claims.timeutil import SHANGHAI
from claims.validators import mask_account, mask_id, mask_mobile
from forms import engine
from forms.fonts import check_glyphs, register


@dataclass(frozen=True)
class PrintMeta:
    printed_at: datetime
    printed_by: str  # the person's name as printed (a display name, never a login)
    record_key: str  # the natural identifier (case number, declaration number, …)
    first_printed_at: datetime | None = None  # set on a reprint (补打): when the document was first printed


@dataclass(frozen=True)
class RenderResult:
    doc_code: str
    record_key: str
    pdf: bytes
    digest: str  # sha256 of what the document prints (content_digest)
    code: str  # verification code printed on every page, "XXXX-XXXX-XX"
    pages: int
    lonely_seals: tuple[int, ...] = ()  # pages where a signature or seal box stands without other content


# --- what a layout is given ---------------------------------------------------------

@dataclass
class Ctx:
    """Per-document helpers for layouts: masking by audience and formatting."""
    code: str
    title: str
    audience: str
    number: str = ""

    def mask(self) -> bool:
        return self.audience in MASKED_AUDIENCES

    def id(self, number: str | None) -> str:
        return mask_id(number) if self.mask() else (number or "")

    def account(self, number: str | None) -> str:
        return mask_account(number) if self.mask() else (number or "")

    def phone(self, number: str | None) -> str:
        if self.mask() and number and number.isdigit() and len(number) == 11:
            return mask_mobile(number)
        return number or ""

    @staticmethod
    def date(d) -> str:
        return f"{d.year}年{d.month}月{d.day}日" if d else ""

    @staticmethod
    def time(dt) -> str:
        if not dt:
            return ""
        t = dt.astimezone(SHANGHAI)
        return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"

    @staticmethod
    def month(ym: str) -> str:
        y, m = ym.split("-")[:2]
        return f"{int(y)}年{int(m)}月"

    @staticmethod
    def money(fen: int) -> str:
        return format_yuan(fen)

    @staticmethod
    def words(fen: int) -> str:
        return "人民币" + amount_in_words(fen)

    def amount(self, fen: int) -> str:
        """Figures and words: ``¥12,345.60（人民币壹万贰仟叁佰肆拾伍元陆角）``."""
        return f"{self.money(fen)}（{self.words(fen)}）"

    def title_block(self, number: str, subtitle: str = "", title: str = "") -> list:
        self.number = number
        return engine.title_block(title or self.title, number, subtitle)

    @staticmethod
    def review_rights(authority: str, court: str) -> str:
        return (f"如对本文书内容不服，可以自收到本文书之日起 60 日内向{authority}申请行政复议，"
                f"或者自收到本文书之日起 6 个月内向{court}提起行政诉讼。")


def layout_module(doc_code: str):
    if doc_code not in DOCUMENTS:
        raise ClaimsError(_("未知的文书类型“{code}”").format(code=doc_code))
    mod = importlib.import_module(f"forms.documents.{doc_code}")
    assert mod.CODE == doc_code, mod
    return mod


def _coerce(doc_code: str, view) -> BaseModel:
    """The view, validated again (``model_copy(update=...)`` skips validation);
    a dict is accepted and validated."""
    title, cls, _aud = DOCUMENTS[doc_code]
    if isinstance(view, BaseModel):
        if type(view) is not cls:
            raise ClaimsError(_("{title}需要 {want} 数据，收到的是 {got}")
                              .format(title=title, want=cls.__name__, got=type(view).__name__))
        view = view.model_dump(warnings=False)
    try:
        return cls.model_validate(view)
    except ValidationError as e:
        raise ClaimsError(_("{title}的数据不完整或有误：{err}").format(title=title, err=e)) from None


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _printed_at(t: datetime) -> str:
    t = t.replace(tzinfo=SHANGHAI) if t.tzinfo is None else t.astimezone(SHANGHAI)
    return f"{t:%Y-%m-%d %H:%M}"


def _laid_out(doc_code: str, view, record_key: str):
    mod = layout_module(doc_code)
    view = _coerce(doc_code, view)
    title, _cls, audience = DOCUMENTS[doc_code]
    check_glyphs("".join(_strings(view.model_dump(mode="json"))) + record_key)
    ctx = Ctx(code=doc_code, title=title, audience=audience, number=record_key)
    flowables = mod.layout(view, ctx)
    payload = {"doc": doc_code, "key": record_key, "number": ctx.number, "text": engine.printed_texts(flowables)}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return mod, ctx, flowables, hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_digest(doc_code: str, view, record_key: str) -> str:
    """The digest of what the document prints (its laid-out text, not the page
    frame): a field the layout does not show never changes it."""
    return _laid_out(doc_code, view, record_key)[3]


def render(doc_code: str, view, meta: PrintMeta) -> RenderResult:
    """Render one document. Raises ClaimsError for an unknown code, the wrong
    view, or a character no shipped typeface can draw."""
    mod, ctx, flowables, digest = _laid_out(doc_code, view, meta.record_key)
    check_glyphs(meta.printed_by)
    code = verification_code(digest)
    title = ctx.title
    reprint = ""
    if meta.first_printed_at is not None:
        reprint = f"补打（首次打印于 {_printed_at(meta.first_printed_at)[:10]}）"
    frame = engine.Frame(title=title, number=ctx.number, printed_at=_printed_at(meta.printed_at),
                         printed_by=meta.printed_by or "　", code=code,
                         qr=f"{title} {ctx.number} 核验码 {code}", reprint=reprint)
    pdf, pages = engine.build_pdf(flowables, frame, subject=f"{title} {ctx.number} 修订版 {mod.REVISION}")
    return RenderResult(doc_code=doc_code, record_key=meta.record_key, pdf=pdf, digest=digest, code=code,
                        pages=pages, lonely_seals=tuple(sorted(frame.seal_pages - frame.content_pages)))


def render_many(items: Iterable[tuple[str, object, PrintMeta]],
                cancel: Callable[[], bool] | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[RenderResult]:
    """Render many documents (batch printing); stops quietly when ``cancel()``
    returns true; ``progress(n)`` after each document with the count so far."""
    register()
    engine.styles()
    for n, (doc_code, view, meta) in enumerate(items, 1):
        if cancel is not None and cancel():
            return
        yield render(doc_code, view, meta)
        if progress is not None:
            progress(n)
