from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from shegong.access.scoping import can_edit_clients
from shegong.common.api import (
    ImportJobSerializer,
    ImportReportSerializer,
    ImportRequestSerializer,
    StepMixin,
    import_response,
)
from shegong.common.autocomplete import ChoicesView, person_text
from shegong.common.idcard import mask_id_number, mask_phone
from shegong.common.paging import CappedPagination
from shegong.common.permissions import write_permission
from shegong.common.viewsets import EditableServiceViewSet
from shegong.network.api import DivisionInScopeField

from . import selectors, services
from .models import Client, Membership, TargetGroup
from .sensitive import without_blank_sensitive

SENSITIVE_INPUT = {"write_only": True, "required": False, "allow_blank": True}


class MembershipSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["group", "group_name", "start_on", "end_on", "source"]


class ClientSerializer(serializers.ModelSerializer):
    """Sensitive fields are write-only; reads carry masks. Clear values come only from
    the logged ``reveal`` action."""

    division = DivisionInScopeField()
    id_number = serializers.CharField(max_length=18, **SENSITIVE_INPUT)
    phone = serializers.CharField(max_length=30, **SENSITIVE_INPUT)
    health_notes = serializers.CharField(max_length=2000, **SENSITIVE_INPUT)
    guardian_phone = serializers.CharField(max_length=30, **SENSITIVE_INPUT)
    id_number_masked = serializers.SerializerMethodField()
    phone_masked = serializers.SerializerMethodField()
    has_health_notes = serializers.SerializerMethodField()
    groups = serializers.SlugRelatedField(
        slug_field="code",
        queryset=TargetGroup.objects.all(),
        many=True,
        write_only=True,
        required=False,
    )
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            *services.CLIENT_FIELDS,
            "name_initials",
            "birth_date",
            "sex",
            "id_number_masked",
            "phone_masked",
            "has_health_notes",
            "groups",
            "memberships",
            "created_at",
        ]
        read_only_fields = ["name_initials", "birth_date", "sex", "created_at"]

    def get_id_number_masked(self, obj) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""

    def get_phone_masked(self, obj) -> str:
        return mask_phone(obj.phone or "")

    def get_has_health_notes(self, obj) -> bool:
        given = getattr(obj, "health_notes_given", None)  # a list's page: not decrypted
        return bool(obj.health_notes) if given is None else given


class SearchSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50)
    group = serializers.CharField(required=False, allow_blank=True, max_length=40)
    risk = serializers.CharField(required=False, allow_blank=True, max_length=16)
    town = serializers.RegexField(
        r"^\d{9}$", required=False, allow_blank=True, help_text="Town / street code (9 digits)."
    )
    village = serializers.RegexField(
        r"^\d{1,12}$",
        required=False,
        allow_blank=True,
        help_text="Village code, or the start of a division code.",
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only clients whose visit is overdue."
    )


class ClientFilterSerializer(SearchSerializer):
    """The list's filters in the query string (no ID or phone number: use ``search``)."""


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=Client.SENSITIVE_FIELDS)
    reason = serializers.CharField(max_length=200)


class RevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


@extend_schema_view(list=extend_schema(parameters=[ClientFilterSerializer]))
class ClientViewSet(StepMixin, EditableServiceViewSet):
    """Service recipients in the user's area; sensitive values only through ``reveal``.
    Lists count up to 10,000 (``count_capped``) and page past that with ``?after=<id>``."""

    serializer_class = ClientSerializer
    pagination_class = CappedPagination
    permission_classes = [write_permission(can_edit_clients)]
    create_service = services.client_create
    update_service = services.client_update
    update_object = step_object = "client"

    def update_data(self, data):
        # Groups are set when the client is registered; a blank sensitive field is kept.
        data.pop("groups", None)
        return without_blank_sensitive(data)

    def get_queryset(self):
        params = self.request.query_params
        if self.action != "list":
            return self._search({})
        if selectors.is_sensitive_query(params.get("q", "")):
            raise serializers.ValidationError(
                {
                    "q": [
                        _(
                            "Search by ID or phone number with POST …/clients/search/, so the "
                            "number stays out of URLs and logs."
                        )
                    ]
                }
            )
        filters = ClientFilterSerializer(data=params)
        filters.is_valid(raise_exception=True)
        return self._search(filters.validated_data)

    def _search(self, params):
        clients = selectors.client_search(
            self.request.user,
            q=params.get("q", ""),
            group=params.get("group", ""),
            risk=params.get("risk", ""),
            town=params.get("town", ""),
            village=params.get("village", ""),
            overdue=params.get("overdue", False),
        ).prefetch_related("memberships__group")
        if self.action in ("list", "search"):
            # A page decrypts the ID number and phone it masks, nothing it does not show.
            clients = clients.defer(*selectors.LIST_DEFERRED).annotate(
                health_notes_given=ExpressionWrapper(
                    Q(health_notes__isnull=False), output_field=BooleanField()
                )
            )
        return clients

    @extend_schema(request=SearchSerializer, responses=ClientSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Search in the body: for ID and phone numbers, which must not go in a URL."""
        data = SearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        page = self.paginate_queryset(self._search(data.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The clear value of one sensitive field; needs a reason and is logged."""
        client = self.get_object()
        data = self.step_input(request, RevealSerializer)
        value = services.client_reveal(client=client, actor=request.user, **data)
        return Response({"field": data["field"], "value": value})

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSerializer,
            202: ImportJobSerializer,
            400: ImportReportSerializer,
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_roster(self, request):
        """Import a roster (低保 / 特困 / 留守 list; the template of ``/clients/import/``).
        All rows or none; a large file becomes a background job (202)."""
        from .imports import import_roster, roster_columns

        return import_response(
            request,
            roster_columns(),
            run=lambda rows, dry_run: import_roster(rows, actor=request.user, dry_run=dry_run),
            job_kind="roster",
        )


class ClientChoices(ChoicesView):
    """Clients in your scope for a searchable select: name, pinyin initials or village
    name (never an ID or phone number), at most 20, each as name · village."""

    text = staticmethod(person_text)

    def search(self, user, q, within):
        return selectors.client_choices(user, q, within)
