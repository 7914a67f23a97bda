"""The OpenAPI schema (drf-spectacular) as the API really answers: besides its success, every
operation documents the error bodies it can give, all JSON (``exception_handler`` in
``api``; the NUL refusal of ``middleware`` too):

- 400 ``ValidationError``: field name -> messages (``non_field_errors`` for the body as a
  whole; a nested object or list for nested fields), or ``{"detail": ...}`` when the body
  cannot be read at all. An import's own 400 (its report) stays, next to this one.
- 401, 403, 404, 415, 429 ``Error``: ``{"detail": "..."}``. 404 where the path names a
  row or the list is paged (a page past the end); 415 where the operation takes a body;
  429 where the view is throttled.
- 412 ``VersionConflict``: ``{"detail": "...", "version": <the current version>}`` where a
  write takes ``If-Match`` (``api.VersionedMixin``: PUT, PATCH and the steps).

A read-only choice whose model column may be blank (a case's closure reason before it
closes) answers ``""`` until it is set: documented as its enum or blank (DRF drops
``allow_blank`` from read-only fields, so drf-spectacular would not know).

``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`` names ``AutoSchema``."""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_view_model
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "Why the request was refused.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)

# A message, a list of messages, or (nested serializers, list fields) the same shapes again.
_MESSAGES = {
    "oneOf": [
        {"type": "string"},
        {"type": "array", "items": {}},
        {"type": "object"},
    ]
}
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": (
            "Field name -> messages (non_field_errors: the body as a whole); "
            "detail: the body could not be read."
        ),
        "additionalProperties": _MESSAGES,
        "minProperties": 1,
    },
)

VERSION_CONFLICT = ResolvedComponent(
    name="VersionConflict",
    type=ResolvedComponent.SCHEMA,
    object="VersionConflict",
    schema={
        "type": "object",
        "description": "The record changed since the version If-Match named.",
        "properties": {"detail": {"type": "string"}, "version": {"type": "integer"}},
        "required": ["detail", "version"],
    },
)

DESCRIPTIONS = {
    "400": "Invalid input: the fields named, with their messages.",
    "401": "Not signed in (no or an expired token).",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such row in the caller's scope (or no such page).",
    "412": "If-Match names a version that is no longer the current one.",
    "415": "The body's media type is not accepted.",
    "429": "Too many requests; retry after the time given in Retry-After.",
}


class TokenScheme(KnoxTokenScheme):
    """The API's token authentication (``accounts.authentication``: knox's, with the login
    policy): ``Authorization: Token <key>``. Named by path, so this layer imports nothing
    from accounts."""

    target_class = "shegong.accounts.authentication.TokenAuthentication"


def _model_field(field):
    """The model column behind a ModelSerializer's field, if there is one."""
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source or field.source == "*":
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self):
        """A versioned record's ``ETag`` on its read and writes, and ``If-Match`` on the
        writes that honour it (``api.VersionedMixin``)."""
        parameters = list(super().get_override_parameters())
        if self._takes_if_match():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description=(
                        'The version read (its ETag, e.g. "3"): the write is refused with '
                        "412 if the record has changed since. Without it the write goes "
                        "ahead (changing only the fields it names)."
                    ),
                )
            )
        if self._answers_etag():
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    response=["200", "201"],
                    description='The record\'s version, quoted (e.g. "3"); send it as If-Match.',
                )
            )
        return parameters

    def _answers_etag(self) -> bool:
        """The read, the update or the step of one versioned row, or its creation."""
        if not self._versioned_view():
            return False
        if "{" in self.path:
            return self.method in {"GET", "PUT", "PATCH", "POST"} and not self._is_list_view()
        return self.method == "POST" and getattr(self.view, "action", None) == "create"

    def _versioned_view(self) -> bool:
        from .api import VersionedMixin
        from .models import Versioned

        if not isinstance(self.view, VersionedMixin):
            return False
        model = get_view_model(self.view, emit_warnings=False)
        return model is not None and issubclass(model, Versioned)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            isinstance(field, serializers.ChoiceField)
            and not isinstance(field, serializers.MultipleChoiceField)
            and field.read_only
            and not field.allow_blank
            and "" not in field.choices
            and getattr(_model_field(field), "blank", False)
        ):
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for component in (ERROR, VALIDATION_ERROR, VERSION_CONFLICT):
            registry.register_on_missing(component)
        responses = operation.setdefault("responses", {})
        self._document_invalid_input(responses)
        for code in self._error_codes(operation):
            body = VERSION_CONFLICT if code == "412" else ERROR
            responses.setdefault(
                code,
                {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": body.ref}},
                },
            )
        return operation

    @staticmethod
    def _document_invalid_input(responses) -> None:
        """400: a validation error, or alongside the operation's own 400 body (an import's
        report) as one of the two."""
        mine = {"application/json": {"schema": VALIDATION_ERROR.ref}}
        if "400" not in responses:
            responses["400"] = {"description": DESCRIPTIONS["400"], "content": mine}
            return
        content = responses["400"].setdefault("content", {})
        own = content.get("application/json", {}).get("schema")
        if own and own != VALIDATION_ERROR.ref:
            content["application/json"] = {"schema": {"oneOf": [own, VALIDATION_ERROR.ref]}}
        elif not own:
            content.update(mine)

    def _error_codes(self, operation) -> list[str]:
        codes = []
        if operation.get("security") and {} not in operation["security"]:
            codes += ["401", "403"]
        elif any(p is not AllowAny for p in self.view.permission_classes):
            codes.append("403")
        if "{" in self.path or getattr(self.view, "pagination_class", None) is not None:
            codes.append("404")
        header_names = {
            p["name"].lower() for p in operation.get("parameters", ()) if p.get("in") == "header"
        }
        if "if-match" in header_names or self._takes_if_match():
            codes.append("412")
        if "requestBody" in operation:
            codes.append("415")
        if getattr(self.view, "throttle_classes", ()):
            codes.append("429")
        return codes

    def _takes_if_match(self) -> bool:
        """A write to one versioned row through a ``VersionedMixin`` viewset (PUT, PATCH, a
        step)."""
        from .api import VersionedMixin
        from .models import Versioned

        if not isinstance(self.view, VersionedMixin) or "{" not in self.path:
            return False
        model = get_view_model(self.view, emit_warnings=False)
        return (
            self.method in {"PUT", "PATCH", "POST"}
            and model is not None
            and issubclass(model, Versioned)
        )
