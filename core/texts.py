"""Texts the system writes for people to read later (a notice), kept as their parts so that each
reader reads them in their own language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


class Message:
    """A notice's text as its parts: the source text (a msgid, Chinese, marked for translation where
    it is written) and its values, some of which are words to translate too (`translate`: the keys
    of such values, e.g. a field's label). Kept with the notice, so that each reader reads it in
    their own language; `stored()` is the installation's language (the notice's text, its e-mail)."""

    def __init__(self, msgid: str, params: dict | None = None, *, translate: tuple[str, ...] = ()):
        self.msgid = msgid
        self.params = {k: str(v) for k, v in (params or {}).items()}
        self.translate = tuple(translate)

    def render(self) -> str:
        params = {k: _(v) if k in self.translate else v for k, v in self.params.items()}
        return _(self.msgid) % params if params else _(self.msgid)

    def stored(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()

    def as_json(self) -> dict:
        return {"id": self.msgid, "params": self.params, "translate": list(self.translate)}

    @classmethod
    def from_json(cls, data: dict) -> Message:
        return cls(data["id"], data.get("params") or {}, translate=tuple(data.get("translate") or ()))
