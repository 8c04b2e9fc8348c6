"""What every router of the JSON API shares: bounded pagination, and a JSON parser that refuses text
no database can store."""

import contextlib
import json
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000  # beyond any registry; an offset past the database's integers is refused


class Pagination(LimitOffsetPagination):
    """limit/offset, with limits: a page holds at most MAX_LIMIT rows (a whole registry is exported,
    not paged in one request), and the offset is bounded (a huge one is a 422, not a 500)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Rows per page, 1–{MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def _has_lone_surrogate(value: Any) -> bool:
    """JSON may escape half of a UTF-16 pair ("\\ud800"): such a string cannot be stored or shown."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class BadText(ValueError):
    pass


class JsonParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if _has_lone_surrogate(data):
            raise BadText
        return data


def body_error_message(exc: BaseException | None) -> str:
    """The 400 for a request body that could not be read, in the caller's language."""
    if isinstance(exc, BadText):
        return _("请求内容含有无效字符（不成对的UTF-16代理项），请检查文本。")
    return _("请求内容不是有效的JSON（UTF-8编码）。")


# Pydantic's messages for a request's fields, in the caller's language (its own are English only).
def _pydantic_messages() -> dict:
    return {
        "missing": _("必填。"),
        "int_parsing": _("应为整数。"),
        "int_type": _("应为整数。"),
        "int_from_float": _("应为整数。"),
        "float_parsing": _("应为数字。"),
        "decimal_parsing": _("应为数字。"),
        "finite_number": _("应为有限的数字。"),
        "bool_parsing": _("应为 true 或 false。"),
        "string_type": _("应为文本。"),
        "date_parsing": _("应为日期，格式为 YYYY-MM-DD。"),
        "date_from_datetime_parsing": _("应为日期，格式为 YYYY-MM-DD。"),
        "date_type": _("应为日期，格式为 YYYY-MM-DD。"),
        "datetime_parsing": _("应为时间，格式为 ISO 8601。"),
        "greater_than_equal": _("不能小于 %(ge)s。"),
        "greater_than": _("应大于 %(gt)s。"),
        "less_than_equal": _("不能大于 %(le)s。"),
        "less_than": _("应小于 %(lt)s。"),
        "string_too_long": _("最多 %(max_length)s 个字符。"),
        "string_too_short": _("至少 %(min_length)s 个字符。"),
        "literal_error": _("应为以下之一：%(expected)s。"),
        "enum": _("应为以下之一：%(expected)s。"),
        "list_type": _("应为列表。"),
        "dict_type": _("应为对象。"),
        "model_attributes_type": _("应为对象。"),
    }


def translate_errors(errors: list[dict]) -> list[dict]:
    """A 422's field errors with `msg` in the caller's language, where we know the kind of error."""
    table = _pydantic_messages()
    out = []
    for e in errors:
        e = dict(e)
        template = table.get(e.get("type", ""))
        if template is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError):  # a context we did not expect
                e["msg"] = template % (e.get("ctx") or {})
        out.append(e)
    return out


def choice_of(model, field: str, *extra: str) -> Any:
    """The type of a filter parameter: "" (no filter), one of `extra` (a selector's own groups, such
    as "overdue"), or one of the model field's choices. Any other value is a 422 that lists them, and
    the OpenAPI schema documents them."""
    values = [str(v) for v, _label in model._meta.get_field(field).flatchoices]
    return Literal[("", *extra, *values)]  # noqa: PGH003
