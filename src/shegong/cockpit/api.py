"""Reports over the API: the network's coverage and compliance."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shegong.access.scoping import can_view_coverage
from shegong.common.dates import parse_as_of
from shegong.common.permissions import write_permission

from .coverage import coverage_report
from .workbench import workbench_for


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


# --- The workbench -----------------------------------------------------------------------


def _section(name, item_serializer):
    """A capped list: its rows, whether there are more, and the page with all of them."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "items": item_serializer(many=True),
            "more": serializers.BooleanField(help_text="More rows than shown: see more_url."),
            "more_url": serializers.CharField(),
        },
    )


class VisitDueSerializer(serializers.Serializer):
    client_id = serializers.IntegerField()
    client = serializers.CharField()
    village = serializers.CharField()
    risk_tier = serializers.CharField()
    risk_tier_label = serializers.CharField()
    due_on = serializers.DateField()
    days_overdue = serializers.IntegerField(help_text="0: due today.")
    url = serializers.CharField()
    log_url = serializers.CharField(help_text="The visit form for this client.")


class CaseItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    client = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    unit = serializers.CharField()
    review_on = serializers.DateField(allow_null=True)
    review_overdue = serializers.BooleanField()
    requested_by = serializers.CharField(required=False)
    url = serializers.CharField()


class ReferralItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=["in", "out"])
    client = serializers.CharField()
    village = serializers.CharField()
    counterpart = serializers.CharField()
    urgency = serializers.CharField()
    urgency_label = serializers.CharField()
    due_at = serializers.DateTimeField()
    hours_left = serializers.IntegerField(help_text="Negative once the deadline has passed.")
    overdue = serializers.BooleanField()
    url = serializers.CharField()


class AlertItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client_id = serializers.IntegerField()
    client = serializers.CharField()
    village = serializers.CharField()
    reason = serializers.CharField()
    raised_at = serializers.DateTimeField()
    url = serializers.CharField()


class VillageOverdueSerializer(serializers.Serializer):
    village_code = serializers.CharField()
    village = serializers.CharField()
    overdue = serializers.IntegerField()
    since = serializers.DateField()
    url = serializers.CharField()


class QuietRoomSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField()
    village = serializers.CharField()
    url = serializers.CharField()


class NextStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["report", "evaluation", "response", "instalment"])
    label = serializers.CharField()
    project_id = serializers.IntegerField()
    project = serializers.CharField()
    object_id = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    note = serializers.CharField()
    url = serializers.CharField()


class RecentServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    served_on = serializers.DateField()
    field = serializers.CharField()
    method_label = serializers.CharField()
    minutes = serializers.IntegerField()
    url = serializers.CharField()


class MyServicesSerializer(serializers.Serializer):
    month = serializers.CharField()
    records = serializers.IntegerField()
    minutes = serializers.IntegerField()
    recent = RecentServiceSerializer(many=True)
    url = serializers.CharField()
    new_url = serializers.CharField()


class SummaryTileSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="Null for a link to a report.")
    capped = serializers.BooleanField(help_text="The true figure is higher.")
    url = serializers.CharField()


class DutySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()


SECTIONS = {
    "visits_due": _section("VisitsDueSection", VisitDueSerializer),
    "cases": _section("CasesSection", CaseItemSerializer),
    "referrals": _section("ReferralsSection", ReferralItemSerializer),
    "closures": _section("ClosuresSection", CaseItemSerializer),
    "inbox": _section("InboxSection", ReferralItemSerializer),
    "overdue_by_village": _section("OverdueByVillageSection", VillageOverdueSerializer),
    "quiet_rooms": _section("QuietRoomsSection", QuietRoomSerializer),
    "alerts": _section("AlertsSection", AlertItemSerializer),
    "next_steps": _section("NextStepsSection", NextStepSerializer),
}


class WorkbenchSerializer(serializers.Serializer):
    """Each list the user's roles call for (absent for the others), at most 20 rows each."""

    date = serializers.DateField()
    roles = serializers.ListField(child=serializers.CharField())
    summary = SummaryTileSerializer(many=True)
    duties = DutySerializer(many=True)
    services = MyServicesSerializer(allow_null=True)
    visits_due = SECTIONS["visits_due"](required=False)
    cases = SECTIONS["cases"](required=False)
    referrals = SECTIONS["referrals"](required=False)
    closures = SECTIONS["closures"](required=False)
    inbox = SECTIONS["inbox"](required=False)
    overdue_by_village = SECTIONS["overdue_by_village"](required=False)
    quiet_rooms = SECTIONS["quiet_rooms"](required=False)
    alerts = SECTIONS["alerts"](required=False)
    next_steps = SECTIONS["next_steps"](required=False)


def workbench_data(bench) -> dict:
    data = {
        "date": bench.today,
        "roles": bench.roles,
        "summary": bench.summary,
        "duties": bench.duties,
        "services": bench.services,
    }
    for s in bench.sections:
        data[s.key] = {"items": s.items, "more": s.more, "more_url": s.more_url}
    return data


class WorkbenchView(APIView):
    """The caller's workbench (工作台), as the home page shows it: visits due, cases,
    referrals, alerts and services for a room worker; closures, the referral inbox,
    overdue visits by village and quiet rooms for a station; the centre's summary; the
    next steps of a purchaser's, agency's or evaluator's projects; an administrator's
    duties. Every list is scoped to the caller and capped at 20 rows."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WorkbenchSerializer)
    def get(self, request):
        bench = workbench_for(request.user)
        return Response(WorkbenchSerializer(workbench_data(bench)).data)
