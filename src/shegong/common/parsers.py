"""The API's request parsers (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

A JSON body nested deeper than ``settings.SHEGONG_JSON_MAX_DEPTH`` levels (default 32) is a
400, not a RecursionError and a 500. Whatever the body's format, a string holding a control
character other than a tab or a line break, or longer than free text may be
(``validators.text_max_length``), is a 400 naming the field it was sent in: the rule of
every text field, applied here once for the fields no model carries. The fields themselves
are stricter where they must be (a name refuses tabs and line breaks too, a column keeps
its length).
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from .text import CONTROL_CHARACTERS
from .validators import text_max_length

DEFAULT_JSON_MAX_DEPTH = 32


def json_max_depth() -> int:
    return getattr(settings, "SHEGONG_JSON_MAX_DEPTH", DEFAULT_JSON_MAX_DEPTH)


def _depth(data, limit: int) -> int:
    """How deeply ``data`` nests, counted without recursion and no further than ``limit + 1``."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level > limit:
                return level
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, level + 1) for child in children)
    return deepest


def _strings(data, path: str):
    """Every string in ``data`` (keys included) with the top-level field it was sent in."""
    stack = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, child in value.items():
                here = where or str(key)
                yield here, str(key)
                stack.append((child, here))
        elif isinstance(value, list | tuple):
            stack.extend((child, where) for child in value)


def check_strings(data) -> None:
    """Refuse a control character or an over-long string, naming the field."""
    limit = text_max_length()
    errors = {}
    items = data.lists() if hasattr(data, "lists") else None
    pairs = (
        ((key, value) for key, values in items for value in [key, *values])
        if items is not None
        else _strings(data, "")
    )
    for field, value in pairs:
        if not isinstance(value, str):
            continue
        name = field or "non_field_errors"
        if CONTROL_CHARACTERS.search(value):
            errors.setdefault(name, []).append(
                _("Remove the control characters (only tabs and line breaks are allowed).")
            )
        elif len(value) > limit:
            errors.setdefault(name, []).append(
                _("Ensure this field has no more than %(limit)d characters.") % {"limit": limit}
            )
    if errors:
        raise ValidationError({k: sorted(set(v)) for k, v in errors.items()})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(self.too_deep()) from exc
        if _depth(data, json_max_depth()) > json_max_depth():
            raise ParseError(self.too_deep())
        check_strings(data)
        return data

    @staticmethod
    def too_deep() -> str:
        return _("JSON parse error - nested more than %(depth)d levels deep.") % {
            "depth": json_max_depth()
        }


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_strings(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_strings(parsed.data)
        return parsed
