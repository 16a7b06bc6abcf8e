"""One declarative layout per document and revision: ``CODE``, ``REVISION`` and
``layout(view, ctx) -> list[Flowable]``. A province's official template can
replace a module here without touching the engine."""
