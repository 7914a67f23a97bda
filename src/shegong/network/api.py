from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser

from shegong.access.scoping import can_edit_network
from shegong.common.api import (
    ImportReportSerializer,
    ImportRequestSerializer,
    ScopedPrimaryKeyRelatedField,
    StepMixin,
    import_response,
)
from shegong.common.autocomplete import ChoicesView, unit_text, village_text
from shegong.common.permissions import write_permission
from shegong.common.viewsets import EditableServiceViewSet, step_action
from shegong.divisions.models import Division

from . import selectors, services
from .imports import import_unit_row, unit_columns
from .models import STATUS_DATE_FIELD, Agency, Facility, Unit, UnitStatus, UnitStatusChange


class DivisionInScopeField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        from shegong.access.scoping import filter_by_scope

        return filter_by_scope(Division.objects.all(), self.context["request"].user, "code")


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitStatusChange
        fields = ["status", "effective_on", "note", "recorded_at"]


# Heads are workers; the people app sits above this one, so reach its model through the
# relation instead of importing it.
_workers = Unit.head.field.related_model.objects


class UnitSerializer(serializers.ModelSerializer):
    division = DivisionInScopeField()
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    head = ScopedPrimaryKeyRelatedField(queryset=_workers.all(), allow_null=True, required=False)
    deputy_head = ScopedPrimaryKeyRelatedField(
        queryset=_workers.all(), allow_null=True, required=False
    )
    shared_facilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Facility.choices), required=False
    )
    division_name = serializers.CharField(source="division.name", read_only=True)
    status_changes = StatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "kind",
            "division",
            "division_name",
            "status",
            *STATUS_DATE_FIELD.values(),
            *services.DETAIL_FIELDS,
            "status_changes",
        ]
        read_only_fields = ["status", "demonstration_on", "closed_on"]

    def validate(self, attrs):
        if self.instance is not None:
            for frozen in ("kind", "division"):
                if frozen in attrs and attrs[frozen] != getattr(self.instance, frozen):
                    raise serializers.ValidationError(
                        {frozen: _("This field cannot be changed after registration.")}
                    )
            for lifecycle in ("planned_on", "established_on", "operating_on"):
                if lifecycle in attrs and attrs[lifecycle] != getattr(self.instance, lifecycle):
                    raise serializers.ValidationError(
                        {lifecycle: _("Change the lifecycle through a transition.")}
                    )
        return attrs


class UnitListSerializer(UnitSerializer):
    """Lists leave out each unit's lifecycle steps (half the list's cost); detail has them."""

    class Meta(UnitSerializer.Meta):
        fields = [f for f in UnitSerializer.Meta.fields if f != "status_changes"]


@extend_schema_serializer(component_name="UnitTransition")
class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=UnitStatus.choices)
    effective_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AgencySerializer(serializers.ModelSerializer):
    """An agency of the register (``/agencies/``, served by purchasing with its record);
    writes go through ``agency_create`` and ``agency_update``."""

    class Meta:
        model = Agency
        fields = ["id", *services.AGENCY_FIELDS]


def _transition(data) -> dict:
    """The body as ``unit_transition`` takes it."""
    return {
        "to_status": data["status"],
        "effective_on": data["effective_on"],
        "note": data.get("note", ""),
    }


class UnitViewSet(StepMixin, EditableServiceViewSet):
    """Units of the three-level network. Units are closed, never deleted."""

    serializer_class = UnitSerializer
    permission_classes = [write_permission(can_edit_network)]
    filterset_fields = ["kind", "status", "operating_mode", "agency"]
    create_service = services.unit_create
    update_service = services.unit_update
    update_object = step_object = "unit"

    def update_data(self, data):
        # ``validate`` refused a change to the rest; what is left of it is unchanged.
        return {k: v for k, v in data.items() if k in services.EDITABLE_FIELDS}

    def get_serializer_class(self):
        return UnitListSerializer if self.action == "list" else UnitSerializer

    def get_queryset(self):
        qs = selectors.units_for(self.request.user)
        if self.action != "list":
            qs = qs.prefetch_related("status_changes")
        town = self.request.query_params.get("division_prefix")
        if town:
            qs = qs.filter(division__code__startswith=town)
        return qs

    transition = step_action(TransitionSerializer, services.unit_transition, prepare=_transition)

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_units(self, request):
        """Import units from an Excel register (the template of ``/units/import/``)."""
        return import_response(
            request, unit_columns(), lambda values: import_unit_row(values, actor=request.user)
        )


class UnitChoices(ChoicesView):
    """Live units in your scope for a searchable select: by name or place, at most 20."""

    text = staticmethod(unit_text)

    def search(self, user, q, within):
        return selectors.unit_choices(user, q, within)


class VillageChoices(ChoicesView):
    """Villages in your scope for a searchable select: by name or code, at most 20."""

    text = staticmethod(village_text)

    def search(self, user, q, within):
        return selectors.village_choices(user, q, within)
