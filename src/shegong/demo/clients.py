"""The demo's clients and the everyday work with them: visits, referrals up to the
station, and the services the rooms give."""

import datetime

from shegong.access.models import Role, RoleGrant
from shegong.clients import services as client_services
from shegong.clients.models import Client, LivingSituation, RiskTier, TargetGroup
from shegong.network.models import UnitKind
from shegong.records.models import Method, ServiceField
from shegong.records.services import service_record_create
from shegong.referrals.models import Status as ReferralStatus
from shegong.referrals.models import Urgency
from shegong.referrals.services import referral_create, referral_transition
from shegong.visits.models import VisitMode
from shegong.visits.services import visit_record

from .context import Demo
from .names import random_date, synthetic_id

FINDINGS = [
    "身体状况稳定",
    "情绪较好，与邻居来往",
    "独自在家，需关注用药",
    "家中整洁，饮食正常",
    "反映行动不便，需助餐服务",
    "孩子学习正常，监护人照料到位",
]
REFERRAL_REASONS = [
    "老人独居且情绪低落，需要专业心理疏导",
    "儿童监护缺失，需要站点介入评估",
    "家庭经济困难，建议链接临时救助",
    "邻里纠纷反复，需要调解资源",
]


def seed_clients(demo: Demo) -> None:
    """Two or three clients per established room: left-behind elderly people and children
    in difficulty, with target groups, risk tiers and some health notes."""
    groups = {g.code: g for g in TargetGroup.objects.all()}
    rooms = demo.units(UnitKind.ROOM, since="established_on").select_related("division")
    for room in rooms:
        for _ in range(demo.rng.randint(2, 3)):
            _client(demo, room.division, groups)


def _client(demo: Demo, village, groups) -> Client:
    rng = demo.rng
    child = rng.random() < 0.3
    sex = rng.choice("MF")
    birth = random_date(
        rng,
        datetime.date(2010, 1, 1) if child else datetime.date(1930, 1, 1),
        datetime.date(2019, 12, 31) if child else datetime.date(1962, 12, 31),
    )
    member_of = (
        rng.sample(["liushou_ertong", "kunjing_ertong"], k=1)
        if child
        else rng.sample(["liushou_laonian", "dibao", "tekun", "canji"], k=rng.randint(1, 2))
    )
    short_name = village.name.removesuffix("居民委员会").removesuffix("村民委员会")
    return client_services.client_create(
        actor=None,
        name=demo.names.person(),
        division=village,
        address=f"{short_name}{rng.randint(1, 30)}组{rng.randint(1, 99)}号",
        id_number=synthetic_id(rng, demo.district.code, birth, sex),
        phone=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
        living_situation=rng.choice(
            [LivingSituation.LEFT_BEHIND, LivingSituation.WITH_FAMILY]
            if child
            else [LivingSituation.ALONE, LivingSituation.EMPTY_NEST, LivingSituation.LEFT_BEHIND]
        ),
        risk_tier=rng.choices([RiskTier.HIGH, RiskTier.KEY, RiskTier.GENERAL], weights=[1, 3, 6])[
            0
        ],
        health_notes=rng.choice(["", "", "高血压", "糖尿病", "行动不便"]),
        guardian_name=demo.names.person() if child else "",
        guardian_relation=rng.choice(["祖父", "祖母"]) if child else "",
        groups=[groups[code] for code in member_of],
    )


def seed_visits(demo: Demo, visitor) -> None:
    """Up to half a year of visits, so that some clients are visited on time and some are
    overdue, as in any district."""
    rng, today = demo.rng, demo.today
    clients = Client.objects.filter(division__code__startswith=demo.district.code)
    clients = clients.prefetch_related("memberships")
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
                findings=rng.choice(FINDINGS),
            )


def seed_referrals(demo: Demo) -> None:
    """The demo room refers clients up to the demo station; one is accepted already."""
    grants = RoleGrant.objects.select_related("user", "unit")
    station_grant = grants.filter(role=Role.STATION_STAFF).first()
    room_grant = grants.filter(role=Role.ROOM_WORKER).first()
    if not (station_grant and room_grant):
        return
    room, station = room_grant.unit, station_grant.unit
    for index, client in enumerate(Client.objects.filter(division_id=room.division_id)[:3]):
        referral = referral_create(
            actor=room_grant.user,
            client=client,
            from_unit=room,
            to_unit=station,
            reason=demo.rng.choice(REFERRAL_REASONS),
            urgency=Urgency.URGENT if index == 0 else Urgency.NORMAL,
            consent_checked=True,
        )
        if index == 2:
            referral_transition(
                referral=referral, to_status=ReferralStatus.ACCEPTED, actor=station_grant.user
            )


def seed_service_records(demo: Demo, actor, funding) -> None:
    """Two services per operating room over the last half year, for the ledger; those the
    rooms give under a project are filed under it (``funding``, see ``projects``)."""
    rng, today = demo.rng, demo.today
    fields = {f.code: f for f in ServiceField.objects.prefetch_related("items")}
    rooms = demo.units(UnitKind.ROOM)
    for room in rooms:
        clients = list(Client.objects.filter(division_id=room.division_id)[:3])
        for _ in range(2):
            field = fields[rng.choice(["elderly", "children", "assistance", "governance"])]
            group = rng.random() < 0.3
            served_on = today - datetime.timedelta(days=rng.randint(1, 180))
            service_record_create(
                actor=actor,
                unit=room,
                served_on=served_on,
                duration_minutes=rng.choice([30, 45, 60, 90, 120]),
                method=Method.COMMUNITY if group else rng.choice([Method.VISIT, Method.PHONE]),
                field=field,
                items=rng.sample(list(field.items.all()), k=1),
                clients=[] if group else clients[:1],
                other_participants=rng.randint(8, 40) if group else 0,
                outcome=rng.choice(["服务对象情绪稳定", "已链接助餐资源", "居民参与积极", ""]),
                project=funding.project_for(room, served_on),
            )
