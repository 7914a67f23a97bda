"""A synthetic three-level network over all of Chongqing, written with bulk_create.

Deterministic (fixed seed): the same plan every run, so "already loaded" is decided by
comparing row counts with the plan. The services (``unit_create`` and friends) would take
many minutes for 12,000 units and are bypassed, so no simple-history rows are written;
the rows themselves keep the rules the services enforce (kind matches division level,
lifecycle dates in order and not in the future, one live unit per division, a contracted
unit has its agency), except for the one province-wide centre described in
``bench_users``.
"""

import datetime
import random
from dataclasses import dataclass, field

from shegong.demo.names import GIVEN, SURNAMES
from shegong.demo.network import ROOM_FACILITIES, station_venue
from shegong.divisions.models import Level
from shegong.network.models import (
    Agency,
    Facility,
    OperatingMode,
    Unit,
    UnitKind,
    UnitStatus,
    UnitStatusChange,
)
from shegong.people.models import (
    Assignment,
    Certificate,
    CertificateTier,
    Employment,
    Worker,
    WorkerRole,
)

PROVINCE = "50"
# The district user of the API benchmark (Yubei, the demo district).
DISTRICT = "500112"
PROVINCE_USER = "bench-province"
DISTRICT_USER = "bench-district"
# Nothing is dated after this day, so the coverage report is measured at it: both R1
# milestones (2021-12-31, 2023-12-31) lie before it, so the report evaluates three dates.
DATA_END = datetime.date(2024, 6, 30)
SEED = 2021
BATCH = 1000

D = datetime.date
AGENCY_WORDS = ["启航", "同心", "仁和"]
TIERS = [
    CertificateTier.WORKER,
    CertificateTier.ASSISTANT,
    CertificateTier.INTERMEDIATE,
    CertificateTier.SENIOR,
]


@dataclass
class Plan:
    agencies: list = field(default_factory=list)
    workers: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    units: list = field(default_factory=list)
    status_changes: list = field(default_factory=list)
    assignments: list = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "agencies": len(self.agencies),
            "units": len(self.units),
            "status changes": len(self.status_changes),
            "workers": len(self.workers),
            "certificates": len(self.certificates),
            "assignments": len(self.assignments),
        }


def _date(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    """A day in [start, end], never after DATA_END (nothing may be dated in the future)."""
    assert start <= DATA_END, start
    end = max(start, min(end, DATA_END))
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _short(village_name: str) -> str:
    return village_name.removesuffix("居民委员会").removesuffix("村民委员会")


class Planner:
    """Builds unsaved model instances; foreign keys point at unsaved objects and resolve
    once their targets are bulk-created (Django copies the pk over at save time)."""

    def __init__(self, divisions: dict[str, tuple[str, int, str | None]]):
        self.rng = random.Random(SEED)
        self.plan = Plan()
        self.cert_no = 0
        self.children: dict[str, list[str]] = {}
        for code in sorted(divisions):
            parent = divisions[code][2]
            if parent:
                self.children.setdefault(parent, []).append(code)
        self.names = {code: row[0] for code, row in divisions.items()}
        self.districts = sorted(c for c, row in divisions.items() if row[1] == Level.DISTRICT)

    def person(self) -> str:
        rng = self.rng
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        return rng.choice(SURNAMES) + given

    def worker(self, division, roles, *, agency=None, employer="", cert=0.0, cert_year=None):
        rng = self.rng
        worker = Worker(
            name=self.person(),
            gender=rng.choice("MF"),
            division_id=division,
            roles=sorted(set(roles)),
            employment=Employment.PART_TIME
            if WorkerRole.MEDIATOR in roles
            else Employment.FULL_TIME,
            employer_agency=agency,
            employer_name="" if agency else employer,
        )
        self.plan.workers.append(worker)
        if rng.random() < cert:
            self.cert_no += 1
            self.plan.certificates.append(
                Certificate(
                    worker=worker,
                    tier=rng.choices(TIERS, weights=[3, 5, 2, 0.3])[0],
                    number=f"BENCH{division[:6]}{self.cert_no:07d}",
                    # Some certificates only arrive after the milestone dates.
                    year=cert_year or rng.choice([*range(2014, 2022)] * 4 + [2022, 2023, 2024]),
                )
            )
        return worker

    def post(self, worker, unit, start, *, turnover=0.08, end=None):
        """Post ``worker`` to ``unit`` from ``start``; a few postings have ended since."""
        earliest_end = start + datetime.timedelta(days=90)
        if end is None and earliest_end <= DATA_END and self.rng.random() < turnover:
            end = _date(self.rng, earliest_end, DATA_END)
        self.plan.assignments.append(
            Assignment(worker=worker, unit=unit, start_on=start, end_on=end)
        )

    def unit(self, kind, division, name, *, established, operating, agency=None, **extra):
        rng = self.rng
        status = UnitStatus.ESTABLISHED
        demonstration = None
        if operating:
            status = UnitStatus.OPERATING
            earliest = operating + datetime.timedelta(days=180)
            if earliest <= DATA_END and rng.random() < 0.04:
                demonstration = _date(rng, earliest, DATA_END)
                status = UnitStatus.DEMONSTRATION
        unit = Unit(
            kind=kind,
            division_id=division,
            name=name,
            status=status,
            planned_on=established - datetime.timedelta(days=rng.randint(30, 120)),
            established_on=established,
            operating_on=operating,
            demonstration_on=demonstration,
            operating_mode=OperatingMode.CONTRACTED if agency else OperatingMode.SELF_RUN,
            agency=agency,
            **extra,
        )
        self.plan.units.append(unit)
        return unit

    def close(self, unit, closed_on):
        unit.status = UnitStatus.CLOSED
        unit.closed_on = closed_on

    def record_steps(self):
        for unit in self.plan.units:
            for status in ("planned", "established", "operating", "demonstration", "closed"):
                day = getattr(unit, f"{status}_on")
                if day:
                    self.plan.status_changes.append(
                        UnitStatusChange(
                            unit=unit, status=status, effective_on=day, note="registered"
                        )
                    )

    def build(self) -> Plan:
        rng = self.rng
        for district in self.districts:
            dname = self.names[district]
            agencies = [
                Agency(
                    name=f"重庆市{dname}{word}社会工作服务中心",
                    credit_code=f"52{district}{i:010d}",
                )
                for i, word in enumerate(AGENCY_WORDS)
            ]
            self.plan.agencies.extend(agencies)
            late_centre = rng.random() < 0.1
            established = _date(
                rng, D(2020, 10, 1), D(2022, 3, 1) if late_centre else D(2021, 6, 1)
            )
            operating = _date(rng, established + datetime.timedelta(days=30), D(2022, 6, 30))
            director = self.worker(
                district, [WorkerRole.SOCIAL_WORKER], employer="区民政局", cert=1
            )
            centre = self.unit(
                UnitKind.CENTER,
                district,
                f"{dname}社会工作指导中心",
                established=established,
                operating=operating,
                agency=agencies[0],
                head=director,
                address=f"重庆市{dname}民政局社会组织孵化基地",
                floor_area=320,
                has_casework_room=True,
                has_group_room=True,
                shared_facilities=[Facility.INCUBATION_BASE],
            )
            self.post(director, centre, established, turnover=0)
            for town in self.children.get(district, []):
                self.town(town, agencies)
        self.record_steps()
        return self.plan

    def town(self, town, agencies):
        rng = self.rng
        tname = self.names[town]
        villages = self.children.get(town, [])
        roll = rng.random()
        if roll < 0.015:
            # No station yet: the town is behind on everything.
            self.rooms(town, villages, D(2022, 1, 1), None, late=True, stalled=True)
            return
        late = roll < 0.10
        stalled = 0.10 <= roll < 0.15
        unstaffed = rng.random() < 0.06
        agency = rng.choice(agencies) if rng.random() < 0.8 else None
        established = _date(
            rng,
            D(2022, 2, 1) if late else D(2021, 3, 1),
            D(2022, 9, 30) if late else D(2021, 12, 20),
        )
        operating = (
            None
            if stalled
            else _date(
                rng,
                established + datetime.timedelta(days=30),
                D(2024, 6, 30) if late else D(2023, 10, 31),
            )
        )
        head = self.worker(town, [WorkerRole.COMMUNITY_WORKER], employer=f"{tname}民社办", cert=0.3)
        station = self.unit(
            UnitKind.STATION,
            town,
            f"{tname}社会工作站",
            established=established,
            operating=operating,
            agency=agency,
            head=head,
            **station_venue(rng, f"{tname}便民服务中心二楼"),
        )
        self.post(head, station, established, turnover=0)
        if not unstaffed:
            for _ in range(rng.randint(1, 3)):
                worker = self.worker(
                    town,
                    [WorkerRole.SOCIAL_WORKER],
                    agency=agency,
                    employer=f"{tname}人民政府",
                    cert=0.8,
                )
                start = _date(rng, established, established + datetime.timedelta(days=400))
                self.post(worker, station, start, turnover=0.12)
        for role in (WorkerRole.VERIFICATION_OFFICER, WorkerRole.ELDERLY_CARE_ADVISOR):
            worker = self.worker(town, [role], employer=f"{tname}人民政府", cert=0.1)
            self.post(worker, station, established)
        self.rooms(town, villages, established, operating, late=late, stalled=stalled)

    def rooms(self, town, villages, station_est, station_op, *, late, stalled):
        rng = self.rng
        for vindex, village in enumerate(villages):
            if (late and vindex % 5 == 4) or rng.random() < 0.01:
                continue  # no room in this village (yet)
            vname = _short(self.names[village])
            established = _date(
                rng,
                station_est,
                D(2022, 12, 31)
                if (late and vindex % 3 == 0)
                else max(station_est, D(2021, 12, 31)),
            )
            operating = None
            if station_op and not (stalled and vindex % 2):
                start = max(established, station_op)
                operating = _date(rng, start, start + datetime.timedelta(days=300))
            room = self.unit(
                UnitKind.ROOM,
                village,
                f"{vname}社会工作室",
                established=established,
                operating=operating,
                address=f"{vname}党群服务中心",
                opening_hours="周一至周五 9:00-17:00",
                floor_area=rng.choice([20, 30, 40, 60]),
                has_casework_room=rng.random() < 0.3,
                shared_facilities=rng.sample(ROOM_FACILITIES, k=rng.randint(1, 3)),
            )
            closed = None
            last_step = room.demonstration_on or operating or established
            if rng.random() < 0.01 and last_step < D(2023, 6, 1):
                # Closed; half of these villages got a new room afterwards.
                closed = _date(rng, last_step + datetime.timedelta(days=60), D(2023, 12, 31))
                self.close(room, closed)
                if rng.random() < 0.5:
                    reopened = _date(rng, closed + datetime.timedelta(days=1), DATA_END)
                    closed = None
                    room = self.unit(
                        UnitKind.ROOM,
                        village,
                        f"{vname}社会工作室（新址）",
                        established=reopened,
                        operating=reopened if rng.random() < 0.5 else None,
                        address=f"{vname}便民服务站",
                    )
                    established = reopened
            for wi in range(rng.choice([1, 2, 2, 3])):
                roles = [
                    rng.choice(
                        [WorkerRole.COMMUNITY_WORKER, WorkerRole.GRID_WORKER, WorkerRole.MEDIATOR]
                    )
                ]
                if rng.random() < 0.12:
                    roles.append(WorkerRole.SOCIAL_WORKER)
                worker = self.worker(
                    village,
                    roles,
                    employer=self.names[village],
                    cert=0.7 if wi == 0 else 0.2,
                )
                # Postings at a room closed for good ended with it.
                self.post(worker, room, established, end=closed)
