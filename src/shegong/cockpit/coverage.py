"""Coverage and compliance of the three-level network at any date (R1, R2.7, R2.10).

All figures come from a handful of grouped queries over the user's scope, so the same code
serves one town, one district or a whole province. Every figure has a drill-down metric
that lists the units or villages behind it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from shegong.access.scoping import scope_prefixes, scope_q
from shegong.divisions.codes import town_of, town_of_column
from shegong.divisions.models import Division, Level
from shegong.network.models import Unit, UnitKind
from shegong.people.models import Assignment, Certificate

# R1 milestones: end-2021 full coverage, end-2023 every unit operating.
MILESTONES = [
    ("coverage", datetime.date(2021, 12, 31), _("Full coverage by end-2021")),
    ("operating", datetime.date(2023, 12, 31), _("All units operating by end-2023")),
]

MET, LATE, BEHIND, ON_TRACK = "met", "late", "behind", "on_track"
MILESTONE_LABELS = {
    MET: _("met"),
    LATE: _("met late"),
    BEHIND: _("behind"),
    ON_TRACK: _("not yet due"),
}


def established_q(day, prefix=""):
    return Q(**{f"{prefix}established_on__lte": day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


def operating_q(day, prefix=""):
    return Q(**{f"{prefix}operating_on__lte": day}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


def _active_assignments(day):
    return Assignment.objects.filter(unit=OuterRef("pk"), start_on__lte=day).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=day)
    )


def has_social_worker(day):
    """The unit has a social worker posted on ``day`` (R2.7)."""
    return Exists(_active_assignments(day).filter(worker__roles__icontains='"social_worker"'))


def has_certified_worker(day):
    """The unit has a worker posted on ``day`` who held a certificate by then (R2.10)."""
    certified = Certificate.objects.filter(
        worker=OuterRef("worker_id"),
        year__lte=day.year,
        tier__in=settings.SHEGONG_CERTIFIED_TIERS,
    )
    return Exists(_active_assignments(day).filter(Exists(certified)))


# The counts each town's row carries (besides its villages), in report order.
FIGURES = (
    "station_established",
    "station_operating",
    "station_social_worker",
    "rooms_established",
    "rooms_operating",
    "rooms_certified",
)


@dataclass
class Row:
    code: str
    name: str
    villages: int = 0
    station_established: int = 0
    station_operating: int = 0
    station_social_worker: int = 0
    rooms_established: int = 0
    rooms_operating: int = 0
    rooms_certified: int = 0
    milestones: dict = field(default_factory=dict)

    @property
    def units_established(self):
        return self.station_established + self.rooms_established

    @property
    def units_operating(self):
        return self.station_operating + self.rooms_operating

    @property
    def full_coverage(self):
        return self.station_established >= 1 and self.rooms_established >= self.villages

    @property
    def all_operating(self):
        return self.station_operating >= 1 and self.rooms_operating >= self.villages

    @property
    def rooms_uncertified(self):
        return self.rooms_established - self.rooms_certified

    @property
    def all_rooms_certified(self):
        return self.rooms_established > 0 and self.rooms_uncertified == 0

    def add(self, other: "Row"):
        for name in ("villages", *FIGURES):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class CoverageReport:
    as_of: datetime.date
    towns: list[Row]
    total: Row
    center_established: bool
    center_operating: bool
    milestones: list[dict]

    @property
    def towns_count(self):
        return len(self.towns)


def _towns_in_scope(prefixes):
    towns = Division.objects.at_level(Level.TOWN)
    # A town is shown if it lies in scope, or the scope lies inside it (a room user).
    inside = scope_q(prefixes, "code")
    around = Q(code__in=[town_of(p) for p in prefixes if len(p) > Level.TOWN])
    return towns.filter(inside | around)


def _towns(user) -> dict[str, tuple[str, int]]:
    """``{town code: (name, villages in scope)}``; the same at every date of a report."""
    prefixes = scope_prefixes(user)
    towns = {
        code: [name, 0] for code, name in _towns_in_scope(prefixes).values_list("code", "name")
    }
    if not towns:
        return {}
    villages = (
        Division.objects.at_level(Level.VILLAGE)
        .filter(scope_q(prefixes, "code"))
        .annotate(town=town_of_column("code"))
        .values("town")
        .annotate(n=Count("code"))
    )
    for item in villages:
        if item["town"] in towns:
            towns[item["town"]][1] = item["n"]
    return {code: (name, n) for code, (name, n) in towns.items()}


def _rows_at(user, day, towns=None) -> dict[str, Row]:
    towns = _towns(user) if towns is None else towns
    rows = {code: Row(code=code, name=name, villages=n) for code, (name, n) in towns.items()}
    if not rows:
        return rows
    station, room = Q(kind=UnitKind.STATION), Q(kind=UnitKind.ROOM)
    est, op = established_q(day), operating_q(day)
    units = (
        Unit.objects.visible_to(user)
        .filter(kind__in=[UnitKind.STATION, UnitKind.ROOM], established_on__lte=day)
        .annotate(
            town=town_of_column("division_id"),
            has_sw=has_social_worker(day),
            has_cert=has_certified_worker(day),
        )
        .values("town")
        .annotate(
            station_established=Count("id", filter=station & est),
            station_operating=Count("id", filter=station & op),
            station_social_worker=Count("id", filter=station & est & Q(has_sw=True)),
            rooms_established=Count("id", filter=room & est),
            rooms_operating=Count("id", filter=room & op),
            rooms_certified=Count("id", filter=room & est & Q(has_cert=True)),
        )
        .order_by()
    )
    for item in units:
        row = rows.get(item.pop("town"))
        if row is not None:
            for key, value in item.items():
                setattr(row, key, value)
    return rows


def _milestone_state(held_then: bool, holds_now: bool, as_of, due) -> str:
    if as_of < due:
        return MET if holds_now else ON_TRACK
    if held_then:
        return MET
    return LATE if holds_now else BEHIND


def coverage_report(user, as_of: datetime.date) -> CoverageReport:
    towns = _towns(user)
    rows = _rows_at(user, as_of, towns)
    total = Row(code="", name=str(_("Total")))
    for row in rows.values():
        total.add(row)
    checks = {"coverage": lambda r: r.full_coverage, "operating": lambda r: r.all_operating}
    milestones = []
    for key, due, label in MILESTONES:
        then = _rows_at(user, due, towns) if as_of >= due else rows
        check = checks[key]
        for code, row in rows.items():
            row.milestones[key] = _milestone_state(check(then[code]), check(row), as_of, due)
        states = [r.milestones[key] for r in rows.values()]
        district_then = all(check(r) for r in then.values()) if then else False
        district_now = all(check(r) for r in rows.values()) if rows else False
        milestones.append(
            {
                "key": key,
                "due": due,
                "label": label,
                "state": _milestone_state(district_then, district_now, as_of, due),
                "towns_met": states.count(MET),
                "towns_late": states.count(LATE),
                "towns_behind": states.count(BEHIND),
                "towns_on_track": states.count(ON_TRACK),
            }
        )
    total.milestones = {m["key"]: m["state"] for m in milestones}
    centers = Unit.objects.visible_to(user).filter(kind=UnitKind.CENTER)
    return CoverageReport(
        as_of=as_of,
        towns=sorted(rows.values(), key=lambda r: r.code),
        total=total,
        center_established=centers.filter(established_q(as_of)).exists(),
        center_operating=centers.filter(operating_q(as_of)).exists(),
        milestones=milestones,
    )


# Drill-down: each metric names the units (or villages) behind one figure.
DRILL_METRICS = {
    "villages": _("Villages / communities"),
    "villages_without_room": _("Villages without a room"),
    "stations_established": _("Stations established"),
    "stations_operating": _("Stations operating"),
    "stations_without_social_worker": _("Stations without a social worker"),
    "rooms_established": _("Rooms established"),
    "rooms_operating": _("Rooms operating"),
    "rooms_certified": _("Rooms with a certified worker"),
    "rooms_uncertified": _("Rooms without a certified worker"),
    "units_operating": _("Units operating"),
}
VILLAGE_METRICS = {"villages", "villages_without_room"}


def coverage_drilldown(user, as_of, metric: str, town: str = ""):
    """Units (or, for village metrics, divisions) behind one coverage figure."""
    if metric not in DRILL_METRICS:
        raise ValueError(metric)
    prefixes = scope_prefixes(user)
    if metric in VILLAGE_METRICS:
        qs = (
            Division.objects.at_level(Level.VILLAGE)
            .filter(scope_q(prefixes, "code"))
            .order_by("code")
        )
        if town:
            qs = qs.filter(code__startswith=town)
        if metric == "villages_without_room":
            rooms = Unit.objects.filter(division_id=OuterRef("code"), kind=UnitKind.ROOM).filter(
                established_q(as_of)
            )
            qs = qs.exclude(Exists(rooms))
        return qs
    qs = Unit.objects.visible_to(user).select_related("division", "agency")
    if town:
        qs = qs.filter(division__code__startswith=town)
    est, op = established_q(as_of), operating_q(as_of)
    station, room = Q(kind=UnitKind.STATION), Q(kind=UnitKind.ROOM)
    if metric == "stations_established":
        return qs.filter(station & est)
    if metric == "stations_operating":
        return qs.filter(station & op)
    if metric == "stations_without_social_worker":
        return qs.filter(station & est).exclude(has_social_worker(as_of))
    if metric == "rooms_established":
        return qs.filter(room & est)
    if metric == "rooms_operating":
        return qs.filter(room & op)
    if metric == "rooms_certified":
        return qs.filter(room & est).filter(has_certified_worker(as_of))
    if metric == "rooms_uncertified":
        return qs.filter(room & est).exclude(has_certified_worker(as_of))
    return qs.filter(Q(kind__in=[UnitKind.STATION, UnitKind.ROOM]) & op)
