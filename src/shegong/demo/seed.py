"""Synthetic demo data for Yubei: a realistic network where some towns are behind.

Deterministic (fixed random seed) and idempotent: a second run changes nothing. Every
record goes through the same services the pages use, so the demo obeys every rule.
"""

import datetime
import random

from django.db import transaction

from shegong.access import services as access_services
from shegong.access.models import Role, User
from shegong.divisions.models import Division, Level
from shegong.network import services as network_services
from shegong.network.models import Agency, Facility, OperatingMode, Unit, UnitKind
from shegong.people import services as people_services
from shegong.people.models import CertificateTier, Employment, WorkerRole

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯婷雪琳"
    "晨欣怡颖佳琪梓涵子轩浩然宇航雨桐思远俊杰嘉怡一诺"
)

AGENCIES = [
    ("重庆市渝北区启航社会工作服务中心", "52500112MJ12345673"),
    ("重庆市渝北区同心社会工作服务中心", "52500112MJ2469134N"),
    ("重庆市渝北区仁和社会工作服务中心", "52500112MJ3703701G"),
    ("重庆市渝北区晨光社会工作服务中心", "52500112MJ4938268N"),
    ("重庆市渝北区悦心社会工作服务中心", "52500112MJ6172835P"),
]

DEMO_ACCOUNTS = [
    # username, display name, role, unit picker
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, "center"),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN, "center"),
    ("auditor", "审计管理员", Role.AUDIT_ADMIN, "center"),
    ("station", "镇街社工站演示账号", Role.STATION_STAFF, "station"),
    ("room", "村社区社工室演示账号", Role.ROOM_WORKER, "room"),
]


class Names:
    def __init__(self, rng):
        self.rng = rng

    def person(self):
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2, 2])))
        return self.rng.choice(SURNAMES) + given


def _date(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


@transaction.atomic
def seed_demo(district_code: str = "500112", *, password: str, stdout=None) -> dict:
    """Create the centre, stations, rooms, workers and demo accounts for one district.
    Returns the demo accounts created, ``{}`` when the district is already seeded."""
    district = Division.objects.get(code=district_code)
    if Unit.objects.filter(division=district).exists():
        return {}
    rng = random.Random(int(district_code))
    names = Names(rng)
    agencies = [
        Agency.objects.get_or_create(name=name, defaults={"credit_code": code})[0]
        for name, code in AGENCIES
    ]
    center = network_services.unit_create(
        actor=None,
        kind=UnitKind.CENTER,
        division=district,
        name=f"{district.name}社会工作指导中心",
        planned_on=datetime.date(2021, 1, 10),
        established_on=datetime.date(2021, 3, 1),
        operating_on=datetime.date(2021, 6, 1),
        operating_mode=OperatingMode.CONTRACTED,
        agency=agencies[0],
        address=f"重庆市{district.name}民政局社会组织孵化基地",
        phone="023-67800000",
        opening_hours="周一至周五 9:00-17:00",
        floor_area=320,
        has_casework_room=True,
        has_group_room=True,
        shared_facilities=[Facility.INCUBATION_BASE],
    )
    director = _worker(names, district, [WorkerRole.SOCIAL_WORKER], "区民政局", rng, cert=True)
    network_services.unit_update(unit=center, actor=None, head=director)

    towns = list(Division.objects.filter(parent=district, level=Level.TOWN).order_by("code"))
    # A few towns lag: late stations, missing rooms, not yet operating, unstaffed.
    late_towns = set(rng.sample(range(len(towns)), k=min(4, len(towns))))
    stalled_towns = set(rng.sample(range(len(towns)), k=min(3, len(towns))))
    unstaffed_towns = set(rng.sample(range(len(towns)), k=min(3, len(towns))))
    today = datetime.date.today()
    station_facilities = [
        Facility.PUBLIC_SERVICE_CENTER,
        Facility.VERIFICATION_POST,
        Facility.ELDERLY_CARE_CENTER,
        Facility.CIVILISATION_INSTITUTE,
        Facility.PSYCHOLOGY_STATION,
        Facility.GOVERNANCE_CENTER,
        Facility.CIVIL_AFFAIRS_OFFICE,
    ]
    room_facilities = [
        Facility.CHILDREN_HOME,
        Facility.MARRIAGE_COUNSELLING,
        Facility.CIVILISATION_STATION,
        Facility.ELDERLY_CARE_POINT,
        Facility.CONVENIENCE_CENTER,
    ]
    for index, town in enumerate(towns):
        late = index in late_towns
        stalled = index in stalled_towns
        agency = rng.choice(agencies) if rng.random() < 0.8 else None
        established = _date(
            rng,
            datetime.date(2022, 2, 1) if late else datetime.date(2021, 6, 1),
            datetime.date(2022, 9, 30) if late else datetime.date(2021, 12, 20),
        )
        operating = (
            None
            if stalled
            else _date(
                rng,
                established + datetime.timedelta(days=30),
                datetime.date(2024, 6, 30) if late else datetime.date(2023, 10, 31),
            )
        )
        head = _worker(names, town, [WorkerRole.COMMUNITY_WORKER], f"{town.name}民社办", rng)
        station = network_services.unit_create(
            actor=None,
            kind=UnitKind.STATION,
            division=town,
            name=f"{town.name}社会工作站",
            planned_on=datetime.date(2021, 5, 1),
            established_on=established,
            operating_on=operating,
            operating_mode=OperatingMode.CONTRACTED if agency else OperatingMode.SELF_RUN,
            agency=agency,
            head=head,
            address=f"重庆市{district.name}{town.name}便民服务中心二楼",
            phone=f"023-6{rng.randint(1000000, 9999999)}",
            opening_hours="周一至周五 9:00-12:00，14:00-17:30",
            floor_area=rng.choice([60, 80, 120, 150, 200]),
            has_casework_room=rng.random() < 0.7,
            has_group_room=rng.random() < 0.6,
            shared_facilities=rng.sample(station_facilities, k=rng.randint(1, 3)),
        )
        people_services.assignment_add(
            worker=head, unit=station, start_on=established, actor=None, note="站长"
        )
        if index not in unstaffed_towns:
            for _ in range(rng.randint(1, 3)):
                employer = agency.name if agency else f"{town.name}人民政府"
                worker = _worker(
                    names,
                    town,
                    [WorkerRole.SOCIAL_WORKER],
                    employer,
                    rng,
                    agency=agency,
                    cert=rng.random() < 0.8,
                )
                people_services.assignment_add(
                    worker=worker,
                    unit=station,
                    actor=None,
                    start_on=_date(
                        rng, established, min(today, established + datetime.timedelta(days=200))
                    ),
                )
        for extra_role in (WorkerRole.VERIFICATION_OFFICER, WorkerRole.ELDERLY_CARE_ADVISOR):
            worker = _worker(names, town, [extra_role], f"{town.name}人民政府", rng)
            people_services.assignment_add(
                worker=worker, unit=station, start_on=established, actor=None
            )
        villages = list(Division.objects.filter(parent=town, level=Level.VILLAGE).order_by("code"))
        for vindex, village in enumerate(villages):
            short_name = village.name.removesuffix("居民委员会").removesuffix("村民委员会")
            # Half the late towns still have rooms only planned; the others caught up in 2022.
            if late and index % 2 == 0 and vindex % 5 == 4:
                network_services.unit_create(
                    actor=None,
                    kind=UnitKind.ROOM,
                    division=village,
                    name=f"{short_name}社会工作室",
                    planned_on=datetime.date(2021, 5, 1),
                    address=f"{town.name}{short_name}党群服务中心",
                )
                continue
            room_est = _date(
                rng,
                established,
                datetime.date(2022, 12, 31)
                if (late and vindex % 3 == 0)
                else max(established, datetime.date(2021, 12, 31)),
            )
            room_op = None
            if operating and not (stalled and vindex % 2):
                room_op = _date(
                    rng,
                    max(room_est, operating),
                    min(today, max(room_est, operating) + datetime.timedelta(days=300)),
                )
            room = network_services.unit_create(
                actor=None,
                kind=UnitKind.ROOM,
                division=village,
                name=f"{short_name}社会工作室",
                established_on=room_est,
                operating_on=room_op,
                operating_mode=OperatingMode.SELF_RUN,
                address=f"{town.name}{short_name}党群服务中心",
                opening_hours="周一至周五 9:00-17:00",
                floor_area=rng.choice([20, 30, 40, 60]),
                has_casework_room=rng.random() < 0.3,
                shared_facilities=rng.sample(room_facilities, k=rng.randint(1, 3)),
            )
            # About one room in twenty-five has nobody posted yet.
            for wi in range(0 if rng.random() < 0.04 else rng.randint(1, 2)):
                role = rng.choice(
                    [WorkerRole.COMMUNITY_WORKER, WorkerRole.GRID_WORKER, WorkerRole.MEDIATOR]
                )
                certified = rng.random() < (0.35 if index in unstaffed_towns else 0.75) and wi == 0
                worker = _worker(
                    names,
                    village,
                    [role],
                    village.name,
                    rng,
                    cert=certified,
                    employment=Employment.PART_TIME
                    if role == WorkerRole.MEDIATOR
                    else Employment.FULL_TIME,
                )
                people_services.assignment_add(
                    worker=worker, unit=room, start_on=room_est, actor=None
                )

    _seed_clients(rng, names, district)

    admin = User.objects.filter(username="admin").first()
    accounts = {}
    if admin is None:
        admin, _pw = access_services.user_create(
            actor=None,
            username="admin",
            display_name="区民政局管理员",
            division=district,
            password=password,
        )
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    access_services.grant_add(user=admin, role=Role.DISTRICT_ADMIN, unit=center, actor=None)
    accounts["admin"] = str(Role.DISTRICT_ADMIN.label)
    first_station = (
        Unit.objects.filter(kind=UnitKind.STATION, division__parent=district)
        .order_by("division_id")
        .first()
    )
    first_room = (
        Unit.objects.filter(
            kind=UnitKind.ROOM, division__code__startswith=first_station.division_id
        )
        .order_by("division_id")
        .first()
    )
    pick = {"center": center, "station": first_station, "room": first_room}
    for username, display, role, unit_kind in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        unit = pick[unit_kind]
        user, _pw = access_services.user_create(
            actor=None,
            username=username,
            display_name=display,
            division=unit.division,
            password=password,
        )
        access_services.grant_add(user=user, role=role, unit=unit, actor=None)
        accounts[username] = f"{role.label} · {unit.name}"
    _seed_visits(rng, admin, district)
    _seed_referrals(rng, district)
    _seed_service_records(rng, admin, district)
    _seed_cases(rng, district)
    _seed_activities(rng, district)
    accounts.update(_seed_projects(rng, district, agencies, password))
    return accounts


_cert_counter = [0]


def _worker(
    names,
    division,
    roles,
    employer,
    rng,
    *,
    agency=None,
    cert=False,
    employment=Employment.FULL_TIME,
):
    worker = people_services.worker_create(
        actor=None,
        name=names.person(),
        gender=rng.choice("MF"),
        division=division,
        roles=roles,
        employment=employment,
        employer_agency=agency,
        employer_name="" if agency else employer,
    )
    if cert:
        _cert_counter[0] += 1
        tier = rng.choices(
            [
                CertificateTier.WORKER,
                CertificateTier.ASSISTANT,
                CertificateTier.INTERMEDIATE,
                CertificateTier.SENIOR,
            ],
            weights=[3, 5, 2, 0.3],
        )[0]
        people_services.certificate_add(
            worker=worker,
            tier=tier,
            number=f"CQ{division.code[:6]}{_cert_counter[0]:06d}",
            year=rng.randint(2015, 2021),
            actor=None,
        )
    return worker


def _synthetic_id(rng, area: str, birth: datetime.date, sex: str) -> str:
    """A synthetic resident ID number with a valid check character (never a real one:
    the sequence digits are random)."""
    from shegong.common.idcard import check_character

    sequence = rng.randrange(1, 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{area}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_character(first17)


def _seed_clients(rng, names, district) -> None:
    """Two or three clients per established room: left-behind elderly people and children
    in difficulty, with target groups, risk tiers and some health notes."""
    from shegong.clients import services as client_services
    from shegong.clients.models import LivingSituation, RiskTier, TargetGroup

    groups = {g.code: g for g in TargetGroup.objects.all()}
    rooms = Unit.objects.filter(
        kind=UnitKind.ROOM, division__code__startswith=district.code, established_on__isnull=False
    ).select_related("division")
    for room in rooms:
        for _ in range(rng.randint(2, 3)):
            child = rng.random() < 0.3
            sex = rng.choice("MF")
            birth = _date(
                rng,
                datetime.date(2010, 1, 1) if child else datetime.date(1930, 1, 1),
                datetime.date(2019, 12, 31) if child else datetime.date(1962, 12, 31),
            )
            member_of = (
                rng.sample(["liushou_ertong", "kunjing_ertong"], k=1)
                if child
                else rng.sample(["liushou_laonian", "dibao", "tekun", "canji"], k=rng.randint(1, 2))
            )
            client_services.client_create(
                actor=None,
                name=names.person(),
                division=room.division,
                address=f"{room.division.name.removesuffix('居民委员会').removesuffix('村民委员会')}"
                f"{rng.randint(1, 30)}组{rng.randint(1, 99)}号",
                id_number=_synthetic_id(rng, district.code, birth, sex),
                phone=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
                living_situation=rng.choice(
                    [LivingSituation.LEFT_BEHIND, LivingSituation.WITH_FAMILY]
                    if child
                    else [
                        LivingSituation.ALONE,
                        LivingSituation.EMPTY_NEST,
                        LivingSituation.LEFT_BEHIND,
                    ]
                ),
                risk_tier=rng.choices(
                    [RiskTier.HIGH, RiskTier.KEY, RiskTier.GENERAL], weights=[1, 3, 6]
                )[0],
                health_notes=rng.choice(["", "", "高血压", "糖尿病", "行动不便"]),
                guardian_name=names.person() if child else "",
                guardian_relation=rng.choice(["祖父", "祖母"]) if child else "",
                groups=[groups[code] for code in member_of],
            )


def _seed_visits(rng, visitor, district) -> None:
    """Up to half a year of visits, so that some clients are visited on time and some are
    overdue, as in any district."""
    from shegong.clients.models import Client
    from shegong.visits.models import VisitMode
    from shegong.visits.services import visit_record

    today = datetime.date.today()
    findings = [
        "身体状况稳定",
        "情绪较好，与邻居来往",
        "独自在家，需关注用药",
        "家中整洁，饮食正常",
        "反映行动不便，需助餐服务",
        "孩子学习正常，监护人照料到位",
    ]
    clients = Client.objects.filter(division__code__startswith=district.code).prefetch_related(
        "memberships"
    )
    # The demo room worker's village has someone overdue, so their list is not empty.
    demo_village = clients.order_by("division_id").values_list("division_id", flat=True).first()
    for client in clients.filter(division_id=demo_village)[:1]:
        visit_record(
            client=client,
            actor=visitor,
            visited_on=today - datetime.timedelta(days=20),
            mode=VisitMode.IN_PERSON,
            findings="独居，近期摔倒过一次",
            risk_change="high",
        )
    for client in clients.exclude(division_id=demo_village):
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            visit_record(
                client=client,
                actor=visitor,
                visited_on=today - datetime.timedelta(days=rng.randint(1, 180)),
                mode=rng.choice([VisitMode.IN_PERSON, VisitMode.IN_PERSON, VisitMode.PHONE]),
                findings=rng.choice(findings),
            )


def _seed_referrals(rng, district) -> None:
    """A few rooms refer clients up to their station; some already decided."""
    from shegong.access.models import RoleGrant
    from shegong.clients.models import Client
    from shegong.referrals.services import referral_create, referral_transition

    reasons = [
        "老人独居且情绪低落，需要专业心理疏导",
        "儿童监护缺失，需要站点介入评估",
        "家庭经济困难，建议链接临时救助",
        "邻里纠纷反复，需要调解资源",
    ]
    station_user = RoleGrant.objects.filter(role="station_staff").select_related("user").first()
    room_user = RoleGrant.objects.filter(role="room_worker").select_related("user").first()
    if not (station_user and room_user):
        return
    room = room_user.unit
    station = station_user.unit
    clients = list(Client.objects.filter(division_id=room.division_id)[:3])
    for index, client in enumerate(clients):
        referral = referral_create(
            actor=room_user.user,
            client=client,
            from_unit=room,
            to_unit=station,
            reason=rng.choice(reasons),
            urgency="urgent" if index == 0 else "normal",
            consent_checked=True,
        )
        if index == 2:
            referral_transition(referral=referral, to_status="accepted", actor=station_user.user)


def _seed_service_records(rng, actor, district) -> None:
    """Two services per room over the last half year, for the ledger."""
    from shegong.clients.models import Client
    from shegong.records.models import Method, ServiceField
    from shegong.records.services import service_record_create

    fields = {f.code: f for f in ServiceField.objects.prefetch_related("items")}
    today = datetime.date.today()
    rooms = Unit.objects.filter(
        kind=UnitKind.ROOM, division__code__startswith=district.code, operating_on__isnull=False
    )
    for room in rooms:
        clients = list(Client.objects.filter(division_id=room.division_id)[:3])
        for _ in range(2):
            field = fields[rng.choice(["elderly", "children", "assistance", "governance"])]
            group = rng.random() < 0.3
            service_record_create(
                actor=actor,
                unit=room,
                served_on=today - datetime.timedelta(days=rng.randint(1, 180)),
                duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                method=Method.COMMUNITY if group else rng.choice([Method.VISIT, Method.PHONE]),
                field=field,
                items=rng.sample(list(field.items.all()), k=1),
                clients=[] if group else clients[:1],
                other_participants=rng.randint(8, 40) if group else 0,
                outcome=rng.choice(["服务对象情绪稳定", "已链接助餐资源", "居民参与积极", ""]),
            )


def _station_staff(district):
    """Each operating station with a worker posted there today and an account to act as."""
    from shegong.access.models import RoleGrant
    from shegong.people.models import Assignment

    today = datetime.date.today()
    fallback = RoleGrant.objects.filter(role="district_admin").select_related("user").first()
    stations = Unit.objects.filter(
        kind=UnitKind.STATION, division__code__startswith=district.code, operating_on__isnull=False
    ).order_by("division_id")
    for station in stations:
        posting = Assignment.objects.active_on(today).filter(unit=station).first()
        grant = RoleGrant.objects.filter(role="station_staff", unit=station).first()
        if posting:
            yield station, posting.worker, (grant or fallback).user


def _seed_cases(rng, district) -> None:
    """Cases at every stage in the first stations, the closed ones approved by the centre."""
    from shegong.access.models import RoleGrant
    from shegong.cases import services
    from shegong.clients.models import Client
    from shegong.records.models import Method, ServiceField
    from shegong.records.services import service_record_create

    approver = RoleGrant.objects.filter(role="district_admin").select_related("user").first()
    fields = list(ServiceField.objects.filter(code__in=["elderly", "children", "assistance"]))
    today = datetime.date.today()
    problems = [
        ("独居老人近期跌倒，情绪低落，子女在外务工", ["安装扶手等适老化改造", "每周电话问候一次"]),
        ("留守儿童学业下滑，与祖辈沟通困难", ["每两周学业辅导一次", "改善隔代沟通"]),
        ("低保家庭主要劳动力患病，经济压力大", ["链接临时救助", "协助申请医疗救助"]),
    ]
    for s_index, (station, worker, actor) in enumerate(_station_staff(district)):
        if s_index >= 6:
            break
        clients = Client.objects.filter(
            division__code__startswith=station.division_id, merged_into=None
        ).order_by("risk_tier", "id")[:5]
        for c_index, client in enumerate(clients):
            problem, goals = problems[c_index % len(problems)]
            opened = today - datetime.timedelta(days=rng.randint(60, 300))
            case = services.case_open(
                actor=actor,
                client=client,
                unit=station,
                case_worker=worker,
                opened_on=opened,
                source=rng.choice(["visit", "referral", "self", "roster"]),
                presenting_problem=problem,
            )
            if c_index == 0:
                continue  # left at intake
            field = fields[c_index % len(fields)]
            case = services.case_assess(
                case=case,
                actor=actor,
                needs=[field],
                risk_tier=client.risk_tier,
                assessment="与服务对象及家属面谈，评估其生活照料与情绪支持需求",
                assessed_on=opened + datetime.timedelta(days=3),
            )
            if c_index == 1:
                continue  # waiting for its plan
            case = services.case_plan(
                case=case,
                actor=actor,
                goals=goals,
                plan="个案辅导结合资源链接，每月复核",
                planned_items=list(field.items.all()[:2]),
                review_on=opened + datetime.timedelta(days=90),
            )
            for k in range(rng.randint(2, 5)):
                service_record_create(
                    actor=actor,
                    unit=station,
                    served_on=min(today, opened + datetime.timedelta(days=10 + 14 * k)),
                    duration_minutes=rng.choice([45, 60, 90]),
                    method=rng.choice([Method.CASEWORK, Method.VISIT, Method.RESOURCE]),
                    field=field,
                    items=list(field.items.all()[:1]),
                    clients=[client],
                    workers=[worker],
                    outcome=rng.choice(["情绪好转", "已链接资源", "家属配合良好"]),
                    case=case,
                )
            if c_index == 2:
                continue  # in intervention
            goals_met = {g.pk for g in case.goals.all()[: 2 if c_index == 4 else 1]}
            case = services.case_evaluate(
                case=case,
                actor=actor,
                evaluation="服务对象生活状况改善，支持网络建立",
                evaluated_on=today - datetime.timedelta(days=5),
                goals_met=goals_met,
                satisfaction=rng.choice([4, 5]),
            )
            can_approve = approver and approver.user_id != actor.pk
            if c_index == 4 and not can_approve:
                continue  # evaluated: nobody else here to approve its closure
            case = services.case_request_closure(case=case, actor=actor, reason="goals_met")
            if c_index == 4:
                services.case_decide_closure(case=case, actor=approver.user, approve=True)


def _seed_activities(rng, district) -> None:
    """A children's group and a community activity at each of the first stations."""
    from shegong.activities import services
    from shegong.clients.models import Client
    from shegong.records.models import ServiceField

    fields = {f.code: f for f in ServiceField.objects.all()}
    today = datetime.date.today()
    for s_index, (station, worker, actor) in enumerate(_station_staff(district)):
        if s_index >= 8:
            break
        start = today - datetime.timedelta(days=rng.randint(40, 200))
        members = list(
            Client.objects.filter(division__code__startswith=station.division_id, merged_into=None)[
                :8
            ]
        )
        group = services.activity_create(
            actor=actor,
            kind="group",
            unit=station,
            title="“快乐成长”留守儿童成长小组" if s_index % 2 else "“乐龄同行”老年互助小组",
            field=fields["children" if s_index % 2 else "elderly"],
            leader=worker,
            needs="服务对象缺少陪伴与同伴支持",
            goals="增强组员的自信与互助，建立同伴支持网络",
            plan="共六节：破冰、认识自我、沟通技巧、互助实践、成果展示、告别",
            planned_sessions=6,
            start_on=start,
            members=members,
        )
        held = rng.randint(1, 6)
        for k in range(held):
            services.session_add(
                activity=group,
                actor=actor,
                served_on=min(today, start + datetime.timedelta(days=7 * k)),
                duration_minutes=90,
                clients=rng.sample(members, k=min(len(members), rng.randint(4, 8))),
                notes=f"第{k + 1}节",
            )
        if held == 6:
            services.activity_evaluate(
                activity=group,
                actor=actor,
                evaluation="组员之间建立起互助关系，满意度较高",
                evaluated_on=today,
                goals_met=rng.choice(["fully", "partly"]),
                satisfaction=4.5,
            )
        fair = services.activity_create(
            actor=actor,
            kind="community",
            unit=station,
            title=rng.choice(["重阳节敬老文艺汇演", "社区邻里节", "防诈骗宣传进社区"]),
            field=fields["governance"],
            leader=worker,
            needs="社区居民参与不足，邻里关系疏远",
            goals="动员居民参与，增进邻里互助",
            start_on=start,
        )
        services.session_add(
            activity=fair,
            actor=actor,
            served_on=start,
            duration_minutes=150,
            clients=members[:2],
            other_participants=rng.randint(40, 150),
        )


PURCHASERS = [
    # Prefixed with the district's name: 渝北区民政局, 渝北区委政法委…
    ("民政局", "civil_affairs"),
    ("卫生健康委员会", "health"),
    ("委政法委", "political_legal"),
    ("委宣传部", "propaganda"),
    ("妇联", "women"),
]
PROJECT_KINDS = [
    ("社会工作站运营项目", "lottery"),
    ("困境儿童关爱服务项目", "assistance_fund"),
    ("老年人心理关爱项目", "department_budget"),
    ("社区矫正社会工作服务项目", "department_budget"),
    ("新时代文明实践社工服务项目", "charity"),
]


def _seed_projects(rng, district, agencies, password) -> dict:
    """About twenty purchased-service projects at every stage, with evaluations and
    payments, and the purchaser, agency and evaluator demo accounts."""
    from decimal import Decimal

    from shegong.access.scoping import scope_q
    from shegong.purchasing import services
    from shegong.purchasing.models import (
        Criterion,
        IndicatorTemplate,
        ProjectIndicator,
        Purchaser,
    )
    from shegong.records.models import ServiceRecord

    def account(username, display, role, **grant):
        if User.objects.filter(username=username).exists():
            return User.objects.get(username=username)
        user, _pw = access_services.user_create(
            actor=None,
            username=username,
            display_name=display,
            division=district,
            password=password,
        )
        access_services.grant_add(user=user, role=role, actor=None, **grant)
        return user

    purchasers = [
        Purchaser.objects.get_or_create(
            name=f"{district.name}{name}", defaults={"kind": kind, "division": district}
        )[0]
        for name, kind in PURCHASERS
    ]
    account("buyer", "区民政局采购演示账号", Role.PURCHASER, purchaser=purchasers[0])
    account("agency", "社工机构演示账号", Role.AGENCY_STAFF, agency=agencies[0])
    evaluator = account("evaluator", "第三方评估演示账号", Role.EVALUATOR)
    admin = User.objects.get(username="admin")
    criteria = list(Criterion.objects.filter(is_active=True))
    templates = list(IndicatorTemplate.objects.all())
    stations = list(
        Unit.objects.filter(
            kind=UnitKind.STATION,
            division__code__startswith=district.code,
            operating_on__isnull=False,
        ).order_by("division_id")
    )
    today = datetime.date.today()

    def score(project, kind, quality):
        evaluation = services.evaluation_assign(
            project=project,
            actor=admin,
            kind=kind,
            evaluator=evaluator,
            evaluator_body="重庆市某社会工作评估中心",
        )
        services.evaluation_score(
            evaluation=evaluation,
            actor=evaluator,
            scores={
                c.pk: ((c.weight * Decimal(str(quality))).quantize(Decimal("0.5")), "")
                for c in criteria
            },
            comments="服务台账完整，目标基本达成" if quality > 0.75 else "部分指标滞后，需整改",
            submit=True,
        )

    # stage plan: (count, final stage)
    plan = ["budgeted"] * 3 + ["procuring"] * 2 + ["awarded"] + ["contracted"] * 10 + ["closed"] * 4
    for index, stage in enumerate(plan):
        name, source = PROJECT_KINDS[index % len(PROJECT_KINDS)]
        buyer_purchaser = purchasers[index % len(purchasers)]
        covered = stations[(index * 2) % max(1, len(stations)) :][:2] or stations[:1]
        title = f"{today.year - (1 if stage == 'closed' else 0)}年{covered[0].division.name}{name}"
        budget = Decimal(rng.choice([180000, 240000, 300000, 360000]))
        if stage == "closed":
            start = today - datetime.timedelta(days=rng.randint(400, 600))
        else:
            start = today - datetime.timedelta(days=rng.randint(30, 300))
        approved = start - datetime.timedelta(days=60)
        project = services.project_create(
            actor=admin,
            purchaser=buyer_purchaser,
            name=title,
            funding_source=source,
            budget_amount=budget,
            budget_approved_on=approved,
        )
        if stage == "budgeted":
            continue
        project = services.procurement_start(
            project=project,
            actor=admin,
            method=rng.choice(["public_tender", "consultation", "negotiation", "inquiry"]),
            started_on=approved + datetime.timedelta(days=10),
        )
        if stage == "procuring":
            continue
        # Usually the agency already running the station wins its project.
        agency = covered[0].agency or agencies[index % len(agencies)]
        project = services.procurement_award(
            project=project,
            actor=admin,
            agency=agency,
            awarded_on=approved + datetime.timedelta(days=40),
        )
        if stage == "awarded":
            continue
        project = services.contract_sign(
            project=project,
            actor=admin,
            contract_number=f"YB-GM-{approved:%Y}-{index + 1:03d}",
            contract_amount=(budget * Decimal("0.95")).quantize(Decimal("1")),
            start_on=start,
            end_on=start + datetime.timedelta(days=364),
            units=covered,
            commitments=[(u, 1) for u in covered],
            instalments=[(40, "", None), (30, "mid", None), (30, "final", None)],
        )
        for template in templates:
            ProjectIndicator.objects.create(
                project=project,
                template=template,
                target=rng.choice([10, 20, 40, 80]) if template.metric != "satisfaction" else 4.5,
                weight=template.default_weight,
            )
        # The services given in the covered area during the period count for it.
        area = scope_q([u.division_id for u in covered], "unit__division__code")
        ServiceRecord.objects.filter(
            area, served_on__gte=start, served_on__lte=project.end_on, project__isnull=True
        ).update(project=project)
        first = project.instalments.get(number=1)
        services.instalment_pay(instalment=first, actor=admin, paid_on=start)
        if (today - start).days > 180 or stage == "closed":
            score(project, "mid", rng.uniform(0.65, 0.98))
            if rng.random() < 0.8:
                services.instalment_pay(
                    instalment=project.instalments.get(number=2),
                    actor=admin,
                    paid_on=min(today, start + datetime.timedelta(days=200)),
                )
        if stage == "closed":
            score(project, "final", rng.uniform(0.6, 0.98))
            services.instalment_pay(
                instalment=project.instalments.get(number=3),
                actor=admin,
                paid_on=min(today, project.end_on + datetime.timedelta(days=20)),
            )
            services.project_close(
                project=project,
                actor=admin,
                closed_on=min(today, project.end_on + datetime.timedelta(days=30)),
            )
    return {
        "buyer": f"{Role.PURCHASER.label} · {purchasers[0].name}",
        "agency": f"{Role.AGENCY_STAFF.label} · {agencies[0].name}",
        "evaluator": f"{Role.EVALUATOR.label}",
    }
