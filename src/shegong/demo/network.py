"""The demo's service network: the agencies, the district's guidance centre, a station in
every town and a room in every village, each with its workers posted. A few towns lag
behind: late stations, rooms only planned, stations not yet operating, towns unstaffed."""

import datetime
from dataclasses import dataclass

from shegong.divisions.codes import district_of
from shegong.divisions.models import Division, Level
from shegong.network import services as network_services
from shegong.network.models import Agency, Facility, OperatingMode, UnitKind
from shegong.people import services as people_services
from shegong.people.models import CertificateTier, Employment, WorkerRole

from .context import Demo
from .names import random_date

AGENCIES = [
    ("重庆市渝北区启航社会工作服务中心", "52500112MJ12345673"),
    ("重庆市渝北区同心社会工作服务中心", "52500112MJ2469134N"),
    ("重庆市渝北区仁和社会工作服务中心", "52500112MJ3703701G"),
    ("重庆市渝北区晨光社会工作服务中心", "52500112MJ4938268N"),
    ("重庆市渝北区悦心社会工作服务中心", "52500112MJ6172835P"),
]
STATION_FACILITIES = [
    Facility.PUBLIC_SERVICE_CENTER,
    Facility.VERIFICATION_POST,
    Facility.ELDERLY_CARE_CENTER,
    Facility.CIVILISATION_INSTITUTE,
    Facility.PSYCHOLOGY_STATION,
    Facility.GOVERNANCE_CENTER,
    Facility.CIVIL_AFFAIRS_OFFICE,
]
ROOM_FACILITIES = [
    Facility.CHILDREN_HOME,
    Facility.MARRIAGE_COUNSELLING,
    Facility.CIVILISATION_STATION,
    Facility.ELDERLY_CARE_POINT,
    Facility.CONVENIENCE_CENTER,
]
CERTIFICATE_TIERS = [
    CertificateTier.WORKER,
    CertificateTier.ASSISTANT,
    CertificateTier.INTERMEDIATE,
    CertificateTier.SENIOR,
]


@dataclass
class Town:
    """One town's station as the seed built it, and how far the town lags."""

    division: Division
    index: int
    station: object
    agency: Agency | None
    established: datetime.date
    operating: datetime.date | None
    late: bool
    stalled: bool
    unstaffed: bool


def seed_agencies() -> list[Agency]:
    """The agencies that run stations and win projects; shared by every district."""
    agencies = []
    for name, credit_code in AGENCIES:
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            agency = network_services.agency_create(actor=None, name=name, credit_code=credit_code)
        agencies.append(agency)
    return agencies


def station_venue(rng, address: str) -> dict:
    """A station's venue as the demo (and the benchmark's synthetic city) draws it."""
    return {
        "address": address,
        "phone": f"023-6{rng.randint(1000000, 9999999)}",
        "opening_hours": "周一至周五 9:00-12:00，14:00-17:30",
        "floor_area": rng.choice([60, 80, 120, 150, 200]),
        "has_casework_room": rng.random() < 0.7,
        "has_group_room": rng.random() < 0.6,
        "shared_facilities": rng.sample(STATION_FACILITIES, k=rng.randint(1, 3)),
    }


def seed_center(demo: Demo, agency: Agency):
    """The district's guidance centre, run by ``agency`` and headed from the bureau."""
    district = demo.district
    center = network_services.unit_create(
        actor=None,
        kind=UnitKind.CENTER,
        division=district,
        name=f"{district.name}社会工作指导中心",
        planned_on=datetime.date(2021, 1, 10),
        established_on=datetime.date(2021, 3, 1),
        operating_on=datetime.date(2021, 6, 1),
        operating_mode=OperatingMode.CONTRACTED,
        agency=agency,
        address=f"重庆市{district.name}民政局社会组织孵化基地",
        phone="023-67800000",
        opening_hours="周一至周五 9:00-17:00",
        floor_area=320,
        has_casework_room=True,
        has_group_room=True,
        shared_facilities=[Facility.INCUBATION_BASE],
    )
    director = worker(demo, district, [WorkerRole.SOCIAL_WORKER], "区民政局", cert=True)
    network_services.unit_update(unit=center, actor=None, head=director)
    return center


def seed_towns(demo: Demo, agencies: list[Agency]) -> None:
    """A station in every town and a room in every village, with their workers."""
    rng = demo.rng
    towns = list(Division.objects.filter(parent=demo.district, level=Level.TOWN).order_by("code"))
    late = set(rng.sample(range(len(towns)), k=min(4, len(towns))))
    stalled = set(rng.sample(range(len(towns)), k=min(3, len(towns))))
    unstaffed = set(rng.sample(range(len(towns)), k=min(3, len(towns))))
    for index, division in enumerate(towns):
        town = seed_station(
            demo,
            division,
            index,
            agencies,
            late=index in late,
            stalled=index in stalled,
            unstaffed=index in unstaffed,
        )
        post_station_staff(demo, town)
        villages = Division.objects.filter(parent=division, level=Level.VILLAGE).order_by("code")
        for vindex, village in enumerate(villages):
            seed_room(demo, town, village, vindex)


def seed_station(demo: Demo, division, index, agencies, *, late, stalled, unstaffed) -> Town:
    """The town's station: late towns set theirs up in 2022, stalled ones are not yet
    operating; four in five are run by an agency."""
    rng = demo.rng
    agency = rng.choice(agencies) if rng.random() < 0.8 else None
    established = random_date(
        rng,
        datetime.date(2022, 2, 1) if late else datetime.date(2021, 6, 1),
        datetime.date(2022, 9, 30) if late else datetime.date(2021, 12, 20),
    )
    operating = (
        None
        if stalled
        else random_date(
            rng,
            established + datetime.timedelta(days=30),
            datetime.date(2024, 6, 30) if late else datetime.date(2023, 10, 31),
        )
    )
    head = worker(demo, division, [WorkerRole.COMMUNITY_WORKER], f"{division.name}民社办")
    station = network_services.unit_create(
        actor=None,
        kind=UnitKind.STATION,
        division=division,
        name=f"{division.name}社会工作站",
        planned_on=datetime.date(2021, 5, 1),
        established_on=established,
        operating_on=operating,
        operating_mode=OperatingMode.CONTRACTED if agency else OperatingMode.SELF_RUN,
        agency=agency,
        head=head,
        **station_venue(rng, f"重庆市{demo.district.name}{division.name}便民服务中心二楼"),
    )
    people_services.assignment_add(
        worker=head, unit=station, start_on=established, actor=None, note="站长"
    )
    return Town(division, index, station, agency, established, operating, late, stalled, unstaffed)


def post_station_staff(demo: Demo, town: Town) -> None:
    """One to three social workers (none in an unstaffed town), a verification officer and
    an elderly-care advisor."""
    rng, name = demo.rng, town.division.name
    if not town.unstaffed:
        for _ in range(rng.randint(1, 3)):
            social_worker = worker(
                demo,
                town.division,
                [WorkerRole.SOCIAL_WORKER],
                town.agency.name if town.agency else f"{name}人民政府",
                agency=town.agency,
                cert=rng.random() < 0.8,
            )
            latest = min(demo.today, town.established + datetime.timedelta(days=200))
            people_services.assignment_add(
                worker=social_worker,
                unit=town.station,
                actor=None,
                start_on=random_date(rng, town.established, latest),
            )
    for role in (WorkerRole.VERIFICATION_OFFICER, WorkerRole.ELDERLY_CARE_ADVISOR):
        officer = worker(demo, town.division, [role], f"{name}人民政府")
        people_services.assignment_add(
            worker=officer, unit=town.station, start_on=town.established, actor=None
        )


def seed_room(demo: Demo, town: Town, village, vindex: int) -> None:
    """The village's room: half the late towns still have some only planned; the others
    caught up in 2022. Rooms of a stalled town are partly not yet operating."""
    rng = demo.rng
    short_name = village.name.removesuffix("居民委员会").removesuffix("村民委员会")
    address = f"{town.division.name}{short_name}党群服务中心"
    if town.late and town.index % 2 == 0 and vindex % 5 == 4:
        network_services.unit_create(
            actor=None,
            kind=UnitKind.ROOM,
            division=village,
            name=f"{short_name}社会工作室",
            planned_on=datetime.date(2021, 5, 1),
            address=address,
        )
        return
    established = random_date(
        rng,
        town.established,
        datetime.date(2022, 12, 31)
        if (town.late and vindex % 3 == 0)
        else max(town.established, datetime.date(2021, 12, 31)),
    )
    operating = None
    if town.operating and not (town.stalled and vindex % 2):
        earliest = max(established, town.operating)
        operating = random_date(
            rng, earliest, min(demo.today, earliest + datetime.timedelta(days=300))
        )
    room = network_services.unit_create(
        actor=None,
        kind=UnitKind.ROOM,
        division=village,
        name=f"{short_name}社会工作室",
        established_on=established,
        operating_on=operating,
        operating_mode=OperatingMode.SELF_RUN,
        address=address,
        opening_hours="周一至周五 9:00-17:00",
        floor_area=rng.choice([20, 30, 40, 60]),
        has_casework_room=rng.random() < 0.3,
        shared_facilities=rng.sample(ROOM_FACILITIES, k=rng.randint(1, 3)),
    )
    post_room_workers(demo, town, room, established)


def post_room_workers(demo: Demo, town: Town, room, start_on) -> None:
    """One or two village workers; about one room in twenty-five has nobody posted yet.
    Fewer are certified in the unstaffed towns."""
    rng = demo.rng
    for wi in range(0 if rng.random() < 0.04 else rng.randint(1, 2)):
        role = rng.choice(
            [WorkerRole.COMMUNITY_WORKER, WorkerRole.GRID_WORKER, WorkerRole.MEDIATOR]
        )
        certified = rng.random() < (0.35 if town.unstaffed else 0.75) and wi == 0
        village_worker = worker(
            demo,
            room.division,
            [role],
            room.division.name,
            cert=certified,
            employment=Employment.PART_TIME
            if role == WorkerRole.MEDIATOR
            else Employment.FULL_TIME,
        )
        people_services.assignment_add(
            worker=village_worker, unit=room, start_on=start_on, actor=None
        )


def worker(
    demo: Demo,
    division,
    roles,
    employer,
    *,
    agency=None,
    cert=False,
    employment=Employment.FULL_TIME,
):
    """A worker living in ``division``, employed by ``agency`` or the body named, with a
    social work certificate if ``cert``."""
    rng = demo.rng
    person = people_services.worker_create(
        actor=None,
        name=demo.names.person(),
        gender=rng.choice("MF"),
        division=division,
        roles=roles,
        employment=employment,
        employer_agency=agency,
        employer_name="" if agency else employer,
    )
    if cert:
        demo.certificates += 1
        people_services.certificate_add(
            worker=person,
            tier=rng.choices(CERTIFICATE_TIERS, weights=[3, 5, 2, 0.3])[0],
            number=f"CQ{district_of(division.code)}{demo.certificates:06d}",
            year=rng.randint(2015, 2021),
            actor=None,
        )
    return person
