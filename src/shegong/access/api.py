import django_filters
from rest_framework import serializers, viewsets

from shegong.divisions.models import Division

from .scoping import filter_by_scope


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["code", "name", "level", "parent", "is_active"]


class DivisionFilter(django_filters.FilterSet):
    code_prefix = django_filters.CharFilter(field_name="code", lookup_expr="startswith")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Division
        fields = ["level", "parent", "is_active"]


class DivisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Divisions in the user's scope, each by its code (``/divisions/500112002/``)."""

    serializer_class = DivisionSerializer
    filterset_class = DivisionFilter
    lookup_field = "code"

    def get_queryset(self):
        return filter_by_scope(Division.objects.all(), self.request.user, "code")
