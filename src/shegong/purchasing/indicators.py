"""Indicators computed live from the records (R4.3: measurable, comparable, traceable).

``board(projects)`` computes every metric for many projects at once — one grouped query per
metric, whatever the number of projects — so the district's board of 200 projects costs a
dozen queries. ``behind(project, metric)`` returns the records a figure counts, for the
drill-down."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from shegong.cases.models import Case, ClosureReason, Stage
from shegong.records.models import Method, ServiceRecord
from shegong.referrals.models import Referral
from shegong.referrals.models import Status as ReferralStatus

from .models import Metric, Project, ProjectIndicator
from .selectors import paid_by_project, workers_by_project
from .services import contract_elapsed

RECORD_METHOD = {
    Metric.VISITS: Method.VISIT,
    Metric.GROUP_SESSIONS: Method.GROUP,
    Metric.COMMUNITY_ACTIVITIES: Method.COMMUNITY,
}


def _records(project_ids):
    return ServiceRecord.objects.filter(project_id__in=project_ids)


def _record_figures(project_ids) -> dict[int, dict[str, float]]:
    rows = (
        _records(project_ids)
        .values("project_id")
        .annotate(
            services=Count("id"),
            minutes=Sum("duration_minutes"),
            visits=Count("id", filter=Q(method=Method.VISIT)),
            group_sessions=Count("id", filter=Q(method=Method.GROUP)),
            community_activities=Count("id", filter=Q(method=Method.COMMUNITY)),
        )
        .order_by()
    )
    out = {}
    for r in rows:
        out[r["project_id"]] = {
            Metric.SERVICES: r["services"],
            Metric.SERVICE_HOURS: round((r["minutes"] or 0) / 60, 1),
            Metric.VISITS: r["visits"],
            Metric.GROUP_SESSIONS: r["group_sessions"],
            Metric.COMMUNITY_ACTIVITIES: r["community_activities"],
        }
    return out


def _clients_served(project_ids, group_id=None) -> dict[int, int]:
    # Joins read no manager: a voided record is left out here by hand.
    through = ServiceRecord.clients.through.objects.filter(
        servicerecord__project_id__in=project_ids, servicerecord__voided_at=None
    )
    if group_id:
        through = through.filter(
            client__memberships__group_id=group_id, client__memberships__end_on__isnull=True
        )
    rows = (
        through.values("servicerecord__project_id")
        .annotate(n=Count("client_id", distinct=True))
        .order_by()
    )
    return {r["servicerecord__project_id"]: r["n"] for r in rows}


def _cases(project_ids) -> dict[int, dict[str, float]]:
    """Cases with at least one service under the project."""
    rows = (
        Case.objects.filter(
            service_records__project_id__in=project_ids, service_records__voided_at=None
        )
        .values("service_records__project_id")
        .annotate(
            opened=Count("id", distinct=True),
            closed_met=Count(
                "id",
                distinct=True,
                filter=Q(stage=Stage.CLOSED, closure_reason=ClosureReason.GOALS_MET),
            ),
            satisfaction=Avg("satisfaction"),
        )
        .order_by()
    )
    return {
        r["service_records__project_id"]: {
            Metric.CASES_OPENED: r["opened"],
            Metric.CASES_CLOSED_MET: r["closed_met"],
            Metric.SATISFACTION: round(r["satisfaction"], 2) if r["satisfaction"] else 0,
        }
        for r in rows
    }


def _referrals(project_ids) -> dict[int, int]:
    """Referrals completed by covered units within the service period."""
    rows = (
        Referral.objects.filter(
            status=ReferralStatus.COMPLETED,
            from_unit__projects__id__in=project_ids,
            created_at__date__gte=F("from_unit__projects__start_on"),
            created_at__date__lte=F("from_unit__projects__end_on"),
        )
        .values("from_unit__projects__id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {r["from_unit__projects__id"]: r["n"] for r in rows}


@dataclass
class Figure:
    indicator_id: int | None
    name: str
    metric: str
    unit_label: str
    value: float
    target: float
    weight: float
    group_id: int | None = None
    per_10k: float | None = None  # comparable across projects of different size
    per_worker: float | None = None

    @property
    def progress(self) -> float:
        """Share of the target reached (capped at 1 for the weighted score)."""
        return min(1.0, self.value / self.target) if self.target else 0.0


@dataclass
class Row:
    project: Project
    figures: list[Figure] = field(default_factory=list)
    elapsed: float = 0.0
    workers: int = 0
    paid: Decimal = Decimal("0")
    advance: Decimal = Decimal("0")  # the part paid on signing, by contract
    values: dict = field(default_factory=dict)  # every metric, with or without a target

    @property
    def delivery(self) -> float:
        """Weighted share of targets reached."""
        weight = sum(f.weight for f in self.figures)
        return sum(f.weight * f.progress for f in self.figures) / weight if weight else 0.0

    @property
    def paid_share(self) -> float:
        amount = self.project.contract_amount or 0
        return float(self.paid / amount) if amount else 0.0

    @property
    def ahead_of_delivery(self) -> bool:
        """Payments beyond the contractual advance run ahead of delivery by more than ten
        points of the contract (the advance is owed on signing, whatever is delivered)."""
        amount = self.project.contract_amount or 0
        if not (self.figures and amount):
            return False
        earned = float((self.paid - self.advance) / amount)
        return earned > self.delivery + 0.10

    @property
    def behind_schedule(self) -> bool:
        return bool(self.figures) and self.delivery + 0.10 < self.elapsed

    def per_10k(self, figure: Figure) -> float | None:
        amount = self.project.contract_amount
        return round(figure.value / float(amount / 10_000), 2) if amount else None

    def per_worker(self, figure: Figure) -> float | None:
        return round(figure.value / self.workers, 2) if self.workers else None


def board(projects, today=None) -> list[Row]:
    """Every indicator of every project, in a dozen queries."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    indicators = defaultdict(list)
    for pi in ProjectIndicator.objects.filter(project_id__in=ids).select_related("template"):
        indicators[pi.project_id].append(pi)
    records = _record_figures(ids)
    clients = _clients_served(ids)
    cases = _cases(ids)
    referrals = _referrals(ids)
    by_group = {}
    for group_id in {pi.template.target_group_id for pis in indicators.values() for pi in pis}:
        if group_id:
            by_group[group_id] = _clients_served(ids, group_id)
    workers = workers_by_project(ids)
    paid = paid_by_project(ids)
    rows = []
    for project in projects:
        values = {
            **records.get(project.pk, {}),
            **cases.get(project.pk, {}),
            Metric.CLIENTS_SERVED: clients.get(project.pk, 0),
            Metric.REFERRALS_COMPLETED: referrals.get(project.pk, 0),
        }
        row = Row(
            project,
            elapsed=contract_elapsed(project, today),
            workers=workers.get(project.pk, 0),
            paid=paid.get(project.pk, (Decimal("0"), Decimal("0")))[0],
            advance=paid.get(project.pk, (Decimal("0"), Decimal("0")))[1],
            values=values,
        )
        for pi in indicators[project.pk]:
            template = pi.template
            if template.metric == Metric.CLIENTS_SERVED and template.target_group_id:
                value = by_group[template.target_group_id].get(project.pk, 0)
            else:
                value = values.get(template.metric, 0)
            row.figures.append(
                Figure(
                    pi.pk,
                    template.name,
                    template.metric,
                    template.unit_label,
                    float(value),
                    float(pi.target),
                    float(pi.weight),
                    template.target_group_id,
                )
            )
        for figure in row.figures:
            figure.per_10k, figure.per_worker = row.per_10k(figure), row.per_worker(figure)
        rows.append(row)
    return rows


def behind(project: Project, metric: str, group_id=None):
    """(kind, queryset) of the records a figure counts: the drill-down."""
    records = ServiceRecord.objects.filter(project=project).select_related("unit", "field")
    if metric in RECORD_METHOD:
        return "records", records.filter(method=RECORD_METHOD[metric])
    if metric in (Metric.SERVICES, Metric.SERVICE_HOURS):
        return "records", records
    if metric == Metric.CLIENTS_SERVED:
        from shegong.clients.models import Client

        clients = Client.objects.filter(
            service_records__project=project, service_records__voided_at=None
        )
        if group_id:
            clients = clients.filter(
                memberships__group_id=group_id, memberships__end_on__isnull=True
            )
        return "clients", clients.distinct().select_related("division")
    if metric in (Metric.CASES_OPENED, Metric.CASES_CLOSED_MET, Metric.SATISFACTION):
        cases = Case.objects.filter(
            service_records__project=project, service_records__voided_at=None
        ).distinct()
        if metric == Metric.CASES_CLOSED_MET:
            cases = cases.filter(stage=Stage.CLOSED, closure_reason=ClosureReason.GOALS_MET)
        return "cases", cases.select_related("client__division", "unit")
    if metric == Metric.REFERRALS_COMPLETED:
        if project.start_on is None or project.end_on is None:
            return "referrals", Referral.objects.none()  # no contract period yet
        return "referrals", Referral.objects.filter(
            status=ReferralStatus.COMPLETED,
            from_unit__projects=project,
            created_at__date__gte=project.start_on,
            created_at__date__lte=project.end_on,
        ).select_related("client__division", "from_unit", "to_unit")
    raise ValueError(metric)


def drill_rows(reader, kind: str, objects, start: int = 1) -> list[dict]:
    """The rows of one drill-down page as the reader may see them (issue 9, finding 3).

    Every row carries its number and the figures (village, unit, date, field, minutes,
    stage); the client's name and the link to the client, case or referral only where the
    client is in the reader's own service-data scope. Purchasers and evaluators hold no
    such scope, so they read anonymised rows only, never a name or a record."""
    from shegong.clients.models import Client

    objects = list(objects)
    client_ids = {o.pk if kind == "clients" else getattr(o, "client_id", None) for o in objects}
    client_ids.discard(None)
    named = set(
        Client.objects.visible_to(reader).filter(pk__in=client_ids).values_list("pk", flat=True)
    )
    rows = []
    for number, obj in enumerate(objects, start):
        row = {"number": number, "client": None, "client_name": "", "record": None}
        if kind == "records":
            row |= {
                "on": obj.served_on,
                "unit": obj.unit.name,
                "method": obj.get_method_display(),
                "field": obj.field.name if obj.field_id else "",
                "minutes": obj.duration_minutes,
            }
        elif kind == "clients":
            row |= {"village": obj.division.name}
            if obj.pk in named:
                row |= {"client": obj.pk, "client_name": obj.name, "record": obj}
        elif kind == "cases":
            row |= {
                "on": obj.opened_on,
                "unit": obj.unit.name,
                "village": obj.client.division.name,
                "stage": obj.get_stage_display(),
                "satisfaction": obj.satisfaction,
            }
            if obj.client_id in named:
                row |= {"client": obj.client_id, "client_name": obj.client.name, "record": obj}
        else:
            row |= {
                "on": timezone.localdate(obj.created_at),
                "unit": str(obj.from_unit),
                "to": str(obj.to_unit or obj.external_name or obj.get_external_kind_display()),
                "village": obj.client.division.name,
            }
            if obj.client_id in named:
                row |= {"client": obj.client_id, "client_name": obj.client.name, "record": obj}
        rows.append(row)
    return rows
