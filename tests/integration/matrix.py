"""The persona × object matrix's world and its walk over the URL configuration (issue 9).

One world per test module (``town``): the shared personas of ``tests/conftest.py`` plus a
purchasing department, a town's purchasing department, two evaluators and agency staff
three ways (their agency operating the centre and station A, posted to room A1, and the
other agency operating station B). Every kind of personal record is made at each scope edge
— room A1 (own), room A2 (sibling), station A (parent), room B1 (a unit of the project the
agency delivers), station B and another district — and carries a marker text of its own,
so a response that shows a record its reader may not see is found by searching for the
marker (in HTML, JSON and every cell of a workbook).

``AREAS`` is the rule written out by hand: the division-code prefixes each persona may read
personal data in. A record is visible exactly when its scope code (the client's village for
client records, the holding unit's division for unit records) starts with one of them.
"""

import functools
import json
import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.timezone import localdate

from shegong.access.models import Role
from shegong.clients import services as clients
from shegong.clients.models import Client
from shegong.common.models import ImportJob
from shegong.people.services import assignment_add
from shegong.purchasing.models import Evidence, Metric
from shegong.records.services import attachment_add
from shegong.referrals.models import Status
from tests.activities.factories import ActivityFactory
from tests.cases.factories import CaseFactory
from tests.clients.factories import ClientFactory
from tests.conftest import (
    OTHER_DISTRICT,
    TOWN_A,
    TOWN_B,
    VILLAGE_A1,
    VILLAGE_A2,
    VILLAGE_B1,
    D,
    build_world,
    make_user,
)
from tests.purchasing.factories import PurchaserFactory, assign_evaluation
from tests.purchasing.test_purchasing import contracted
from tests.records.factories import ServiceRecordFactory, service_field
from tests.referrals.factories import ReferralFactory
from tests.visits.factories import VisitFactory

VILLAGE_B2 = "500112004004"
VILLAGE_X = "500103001003"  # 渝中区
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Where each persona may read personal data (the rule of issue 9, findings 3-4, by hand).
AREAS = {
    "district": ("500112",),
    "station_a": (TOWN_A,),
    "room_a1": (VILLAGE_A1,),
    "station_b": (TOWN_B,),
    # The other agency operates station B: town B.
    "agency": (TOWN_B,),
    # Operates the centre and station A (and a station in 渝中区), delivers a project on
    # room B1: town A and village B1, never the district through the centre, never the rest
    # of town B, never another district.
    "agency_a": (TOWN_A, VILLAGE_B1),
    # Posted to room A1 by its grant; its agency delivers the project on room B1.
    "agency_room": (VILLAGE_A1, VILLAGE_B1),
    # Figures and anonymised rows only: no personal record at all.
    "purchaser": (),
    "town_buyer": (),
    "evaluator": (),
    "other_evaluator": (),
    # 三员 and an account without a role.
    "sysadmin": (),
    "auditor": (),
    "nobody": (),
}
PERSONAS = list(AREAS)

# The scope edges: (tag, client's village, unit holding the client's case and the unit's
# own records). The tags are the markers' first characters, unlikely anywhere else.
CLIENT_PLACES = [
    ("甲壹", VILLAGE_A1, "room_a1"),
    ("甲贰", VILLAGE_A2, "room_a2"),
    ("乙壹", VILLAGE_B1, "room_b1"),
    ("乙贰", VILLAGE_B2, "station_b"),
    ("丙壹", VILLAGE_X, "other_station"),
]
# Unit records (service records, activities, attachments): the unit, the tag of the client
# it serves. Station A serves room A1's client: the parent edge for room A1's personas.
UNIT_PLACES = [
    ("room_a1", "甲壹"),
    ("station_a", "甲壹"),
    ("room_a2", "甲贰"),
    ("room_b1", "乙壹"),
    ("station_b", "乙贰"),
    ("other_station", "丙壹"),
]


@dataclass
class Obj:
    """One record: its kind, id, scope code and the texts only its readers may see."""

    kind: str
    pk: int
    scope: str
    markers: tuple[str, ...]
    extra: dict = field(default_factory=dict)

    def visible_to(self, persona: str, area=None) -> bool:
        if "readers" in self.extra:  # a record of one account's own
            return persona in self.extra["readers"]
        return any(self.scope.startswith(p) for p in (AREAS[persona] if area is None else area))


def _people(world):
    """The purchasing side, the agency staff and 渝中区's station account."""
    world.agency.credit_code = "52500112MJ12345673"
    world.agency.save()
    world.bureau = PurchaserFactory(name="渝北区民政局", kind="civil_affairs")
    world.town_purchaser = PurchaserFactory(
        name="回兴街道办事处", kind="town", division=world.div[TOWN_B]
    )
    users = world.users
    users.purchaser = make_user("buyer", Role.PURCHASER, purchaser=world.bureau)
    users.town_buyer = make_user("town_buyer", Role.PURCHASER, purchaser=world.town_purchaser)
    users.evaluator = make_user("evaluator", Role.EVALUATOR)
    users.other_evaluator = make_user("other_evaluator", Role.EVALUATOR)
    users.agency_a = make_user("agency_a", Role.AGENCY_STAFF, agency=world.agency)
    users.agency_room = make_user(
        "agency_room", Role.AGENCY_STAFF, world.room_a1, agency=world.agency
    )
    users.outsider = make_user(
        "outsider", Role.STATION_STAFF, world.other_station, division=world.div[OTHER_DISTRICT]
    )
    assignment_add(
        worker=world.other_worker, unit=world.other_station, start_on=D(2022, 1, 1), actor=None
    )
    # The agency also operates a station in 渝中区: a grant of 渝北区's stays in 渝北区.
    world.other_station.agency = world.agency
    world.other_station.save(update_fields=["agency"])


def _actor(world, unit):
    return world.users.outsider if unit == "other_station" else world.users.district


WORKER_OF = {
    "room_a1": "cw_a1",
    "room_a2": "cw_a2",
    "room_b1": "cw_b1",
    "station_a": "sw_a",
    "station_b": "cw_b1",
    "other_station": "other_worker",
}


def _client_records(world, tag, village, unit_name):
    """A client with a household member, a consent, a visit, a risk alert, a referral and
    a case, each carrying its own marker."""
    unit, actor = getattr(world, unit_name), _actor(world, unit_name)
    person = ClientFactory(name=f"{tag}对象", division=world.div[village], actor=actor)
    member = clients.household_add(client=person, actor=actor, name=f"{tag}家属", relation="子女")
    consent = clients.consent_add(
        client=person,
        given_by=f"{tag}同意人",
        relation="self",
        purpose=f"{tag}同意用途",
        given_on=D(2024, 1, 2),
        actor=actor,
    )
    visit = VisitFactory(client=person, actor=actor, findings=f"{tag}走访发现")
    alert = clients.risk_alert_raise(client=person, actor=actor, reason=f"{tag}预警原因")
    referral = ReferralFactory(
        actor=actor,
        client=person,
        from_unit=unit,
        external_kind="hospital",
        reason=f"{tag}转介原因",
    )
    if unit_name == "room_b1":  # the project's referral: completed
        referral.status = Status.COMPLETED
        referral.save(update_fields=["status"])
    case = CaseFactory(
        actor=actor,
        client=person,
        unit=unit,
        case_worker=getattr(world, WORKER_OF[unit_name]),
        opened_on=localdate(),
        presenting_problem=f"{tag}个案问题",
    )
    return (
        person,
        case,
        [
            Obj("client", person.pk, village, (f"{tag}对象",)),
            Obj("household", member.pk, village, (f"{tag}家属",), {"client": person.pk}),
            Obj("consent", consent.pk, village, (f"{tag}同意人", f"{tag}同意用途")),
            Obj("visit", visit.pk, village, (f"{tag}走访发现",)),
            Obj("alert", alert.pk, village, (f"{tag}预警原因",)),
            Obj("referral", referral.pk, village, (f"{tag}转介原因",)),
            Obj("case", case.pk, village, (f"{tag}个案问题",)),
        ],
    )


def _unit_records(world, unit_name, tag, people, project):
    """A service record (with an attachment) and a group activity of ``unit_name`` for the
    client tagged ``tag``. Room B1's record is the project's, for the case of its client."""
    unit, actor = getattr(world, unit_name), _actor(world, unit_name)
    person, case = people[tag]
    under_project = unit_name == "room_b1"
    record = ServiceRecordFactory(
        actor=actor,
        unit=unit,
        clients=[person],
        outcome=f"{unit_name}服务成效",
        project=project if under_project else None,
        case=case if under_project else None,
    )
    attachment = attachment_add(
        record=record,
        upload=SimpleUploadedFile(f"{unit_name}.png", PNG),
        kind="photo",
        actor=actor,
    )
    activity = ActivityFactory(
        actor=actor,
        unit=unit,
        title=f"{unit_name}小组活动",
        field=service_field("elderly"),
        leader=getattr(world, WORKER_OF[unit_name]),
        members=[person],
    )
    code = unit.division_id
    return [
        Obj("record", record.pk, code, (f"{unit_name}服务成效",), {"attachment": attachment.pk}),
        Obj("attachment", attachment.pk, code, (), {"record": record.pk}),
        Obj("activity", activity.pk, code, (f"{unit_name}小组活动",)),
    ]


def _purchasing(world):
    """The bureau's project, contracted to the agency on room B1, with a mid-term
    evaluation assigned to the evaluator and a file of evidence."""
    project = contracted(world, units=[world.room_b1], commitments=[(world.room_b1, 1)])
    evaluation = assign_evaluation(world, project)
    evidence = Evidence.objects.create(
        evaluation=evaluation,
        file=SimpleUploadedFile("evidence.png", PNG),
        size=len(PNG),
        uploaded_by=world.users.evaluator,
    )
    return project, evaluation, evidence


def _notifications(world):
    """A notification of room A1's account (its own only), a channel of station A and the
    crisis lexicon's first word (the register routes' ids)."""
    from shegong.notifications.models import CrisisWord
    from shegong.notifications.services import Message, channel_save, notify

    [note] = notify(
        Message(kind="case_review", key="matrix", title="甲壹通知", users=[world.users.room_a1])
    )
    world.channel = channel_save(
        actor=world.users.district, unit=world.station_a, kind="email", name="站邮件"
    )
    world.crisis_word = CrisisWord.objects.order_by("pk").first()
    return Obj("notification", note.pk, VILLAGE_A1, ("甲壹通知",), {"readers": {"room_a1"}})


def build_town():
    """The world, the purchasing side and every personal record at every edge."""
    world = build_world()
    _people(world)
    project, evaluation, evidence = _purchasing(world)
    objects, people = [], {}
    for tag, village, unit_name in CLIENT_PLACES:
        person, case, made = _client_records(world, tag, village, unit_name)
        objects += made
        people[tag] = (person, case)
    for unit_name, tag in UNIT_PLACES:
        objects += _unit_records(world, unit_name, tag, people, project)
    # Every client overdue for a visit, so the due lists have someone to show.
    Client.objects.update(next_visit_due=D(2024, 1, 1))
    job = ImportJob.objects.create(
        kind="roster",
        original_name="roster.xlsx",
        created_by=world.users.room_a1,
        status=ImportJob.Status.FAILED,
        errors=[[2, "姓名", "甲壹导入错误"]],
        error_count=1,
    )
    objects.append(Obj("import", job.pk, VILLAGE_A1, ("甲壹导入错误",), {"readers": {"room_a1"}}))
    objects.append(_notifications(world))
    world.objects = objects
    world.project, world.evaluation, world.evidence = project, evaluation, evidence
    return world


def town_fixture(django_db_setup, django_db_blocker, tmp_path_factory):
    """Body of a module-scoped fixture: the world built once in a transaction that is rolled
    back when the module is done (each test runs in a savepoint inside it)."""
    media = tmp_path_factory.mktemp("media")
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(MEDIA_ROOT=media))
        stack.enter_context(transaction.atomic())
        world = build_town()
        yield world
        transaction.set_rollback(True)


# --- Reading responses -------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = ("image/", "application/octet-stream")


def response_text(response) -> str:
    """Everything a reader sees in a response: the page, the JSON (unescaped), or every cell
    of every sheet of a workbook. A PDF or any other document type fails here until this
    function learns to read it, so a new export cannot slip past the matrix (a PDF is read
    as its text)."""
    kind = response.get("Content-Type", "")
    if response.status_code in (204, 301, 302, 304):
        return response.get("Location", "")
    if getattr(response, "streaming", False):
        assert kind.startswith(BINARY), f"unread streamed type {kind}"
        return ""
    body = response.content
    if kind.startswith(XLSX):
        from openpyxl import load_workbook

        book = load_workbook(BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if kind.startswith("application/json") or kind.startswith("application/problem+json"):
        return json.dumps(json.loads(body or b"null"), ensure_ascii=False)
    if kind.startswith(("text/", "application/vnd.oai.openapi", "application/javascript")):
        return body.decode()
    if kind.startswith(BINARY):
        return ""
    if kind.startswith("application/pdf"):
        from pypdf import PdfReader

        # pypdf reads the embedded CJK font's two-byte codes with a NUL between characters.
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)
        return text.replace("\x00", "")
    raise AssertionError(f"the matrix cannot read {kind!r}: teach response_text")


def leaked(text: str, objects, persona: str, area=None) -> list[str]:
    """Markers of records the persona may not see (in ``area``, the persona's own unless
    given) that the text shows."""
    return [m for o in objects if not o.visible_to(persona, area) for m in o.markers if m in text]


# --- Walking the URL configuration ---------------------------------------------------------


def _methods(callback) -> frozenset | None:
    """The HTTP methods a view answers, where it says (a router's actions, a function
    view's ``require_POST``); None for any."""
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return frozenset(actions)
    view = callback
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m.lower() for m in cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def route_table(patterns=None, prefix="") -> dict[str, frozenset | None]:
    """Every route of the URL configuration but the Django admin's (configuration, its own
    role, tested in tests/access), as a path template with Django's ``<name>`` converters,
    and the methods it answers; the router's format-suffix twins are left out (same view,
    same answer)."""
    table = {}
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) != "admin/":
                table |= route_table(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if "format" in route:
                continue
            route = route.replace("^", "").replace("$", "")
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
            table["/" + route.replace("\\", "")] = _methods(p.callback)
    return table


@functools.cache
def _routes() -> dict[str, frozenset | None]:
    return route_table()


def routes() -> list[str]:
    return list(_routes())


def route_methods(route: str) -> frozenset | None:
    return _routes()[route]


def answers_get(route: str) -> bool:
    methods = route_methods(route)
    return methods is None or "get" in methods


def methods_to_try(route: str) -> list[str]:
    """Out of scope, every method a route declares is tried (an API detail's PATCH and PUT
    too); a page that declares none is read with GET (and POSTed if it only takes a form)."""
    methods = route_methods(route)
    if methods is None:
        return ["get"]
    return sorted(m for m in methods if m in {"get", "post", "put", "patch", "delete"})


def kwargs_of(route: str) -> list[str]:
    """The names in the route; an object's id is ``pk`` (or ``code``, a division's)."""
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def resource_of(route: str) -> str:
    return re.match(r"/(?:api/v1/)?([a-z-]+)/", route + "/").group(1)


def fill(route: str, values: dict) -> str:
    def one(match):
        return str(values[match.group(1)])

    return re.sub(r"<(?:\w+:)?(\w+)>", one, route)


def drill_metrics(project) -> list[str]:
    """One indicator per kind of drill-down row (records, clients, cases, referrals): the
    other indicators of a kind filter the same rows through the same code."""
    from shegong.purchasing.indicators import behind

    first = {}
    for metric in Metric.values:
        first.setdefault(behind(project, metric)[0], metric)
    return list(first.values())
