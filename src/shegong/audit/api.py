"""The audit logs over the API, for the audit administrator (and the district
administrator, who holds the audit purpose too) alone: read-only, paginated, filtered like
the pages, each limited to the divisions the reader audits."""

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers

from shegong.access.scoping import can_view_audit

from . import selectors
from .forms import CHANGE_ACTIONS, AccessFilter, ChangeFilter, LoginFilter
from .models import AccessLog, LoginEvent

ACTION_NAMES = {code: name for name, code in CHANGE_ACTIONS.items()}


class CanAudit(permissions.BasePermission):
    def has_permission(self, request, view):
        return can_view_audit(request.user)


# The filters as the API documents them (in English, whatever the server's language).
PARAMETER_HELP = {
    "user": "username of the account that acted",
    "start": "first day, YYYY-MM-DD (the district's time)",
    "end": "last day, YYYY-MM-DD, included",
    "type": "record type",
    "action": "action or event",
}


def _parameters(form_class) -> list[OpenApiParameter]:
    """The filter form's fields as the operation's query parameters."""
    parameters = []
    for name, field in form_class().fields.items():
        kind = OpenApiTypes.DATE if isinstance(field, forms.DateField) else OpenApiTypes.STR
        enum = None
        if isinstance(field, forms.ChoiceField):
            enum = [value for value, _label in field.choices if value]
        parameters.append(
            OpenApiParameter(
                name, kind, description=PARAMETER_HELP[name], enum=enum, required=False
            )
        )
    return parameters


class _AuditList(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, CanAudit]
    filter_backends = []
    filter_form = None

    def filters(self) -> dict:
        form = self.filter_form(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError({k: list(v) for k, v in form.errors.items()})
        return form.filters()


class ChangeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="record type and history row, e.g. cases.case:12")
    at = serializers.DateTimeField(source="when")
    username = serializers.CharField(allow_blank=True)
    record_type = serializers.CharField(source="type")
    record_type_label = serializers.CharField(source="what")
    object_id = serializers.CharField()
    object = serializers.CharField()
    action = serializers.ChoiceField(choices=list(CHANGE_ACTIONS))

    def to_representation(self, row):
        data = super().to_representation({**row, "action": ACTION_NAMES[row["action_code"]]})
        data["record_type_label"] = str(data["record_type_label"])
        return data


class AccessSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    scope = serializers.CharField(help_text="every division prefix the reader could read")
    filters = serializers.DictField(child=serializers.CharField(), help_text="filters applied")

    class Meta:
        model = AccessLog
        fields = [
            "id",
            "at",
            "username",
            "action",
            "object_type",
            "object_id",
            "fields",
            "reason",
            "division_code",
            "scope",
            "filters",
            "rows",
            "prev_hash",
            "hash",
        ]


class LoginSerializer(serializers.ModelSerializer):
    class Meta:
        model = LoginEvent
        fields = [
            "id",
            "at",
            "kind",
            "username",
            "division_code",
            "ip_address",
            "user_agent",
            "prev_hash",
            "hash",
        ]


@extend_schema(
    tags=["audit"],
    summary="Changes to every record with history, newest first",
    parameters=_parameters(ChangeFilter),
)
class ChangeList(_AuditList):
    serializer_class = ChangeSerializer
    filter_form = ChangeFilter

    def get_queryset(self):
        return selectors.changes_for(self.request.user, **self.filters())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = selectors.change_rows(page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@extend_schema(
    tags=["audit"],
    summary="Reveals, look-ups and exports of sensitive data, newest first",
    parameters=_parameters(AccessFilter),
)
class AccessList(_AuditList):
    serializer_class = AccessSerializer
    filter_form = AccessFilter
    queryset = AccessLog.objects.none()

    def get_queryset(self):
        return selectors.accesses_for(self.request.user, **self.filters())


@extend_schema(
    tags=["audit"],
    summary="Logins, logouts and failed login attempts, newest first",
    parameters=_parameters(LoginFilter),
)
class LoginList(_AuditList):
    serializer_class = LoginSerializer
    filter_form = LoginFilter
    queryset = LoginEvent.objects.none()

    def get_queryset(self):
        return selectors.logins_for(self.request.user, **self.filters())
