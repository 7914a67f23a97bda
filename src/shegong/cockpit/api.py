"""Reports over the API: the network's coverage and compliance."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shegong.access.scoping import can_view_coverage
from shegong.common.dates import parse_as_of
from shegong.common.permissions import write_permission

from .coverage import coverage_report


class CoverageTownSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    villages = serializers.IntegerField()
    station_established = serializers.IntegerField()
    station_operating = serializers.IntegerField()
    station_social_worker = serializers.IntegerField()
    rooms_established = serializers.IntegerField()
    rooms_operating = serializers.IntegerField()
    rooms_certified = serializers.IntegerField()
    units_established = serializers.IntegerField()
    units_operating = serializers.IntegerField()
    full_coverage = serializers.BooleanField()
    all_operating = serializers.BooleanField()
    all_rooms_certified = serializers.BooleanField()
    milestones = serializers.DictField(child=serializers.CharField())


class MilestoneSerializer(serializers.Serializer):
    key = serializers.CharField()
    due = serializers.DateField()
    label = serializers.CharField()
    state = serializers.CharField()
    towns_met = serializers.IntegerField()
    towns_late = serializers.IntegerField()
    towns_behind = serializers.IntegerField()
    towns_on_track = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    center_established = serializers.BooleanField()
    center_operating = serializers.BooleanField()
    total = CoverageTownSerializer()
    milestones = MilestoneSerializer(many=True)
    towns = CoverageTownSerializer(many=True)


class CoverageReportView(APIView):
    """Coverage and compliance of the network per town at ``as_of`` (default today)."""

    permission_classes = [write_permission(lambda u: False, read_check=can_view_coverage)]

    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="YYYY-MM-DD")],
        responses=CoverageSerializer,
    )
    def get(self, request):
        as_of = parse_as_of(request.query_params.get("as_of"))
        return Response(CoverageSerializer(coverage_report(request.user, as_of)).data)
