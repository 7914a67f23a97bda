"""The persona × object matrix (issue 9, findings 3-4, "Least privilege"): every persona —
district, station and room staff, agency staff three ways, purchasers, evaluators, the 三员
and an account without a role — against every kind of personal record at every scope edge,
over every page and endpoint of the URL configuration that takes one (see ``matrix``).

A record in the reader's area opens (200 on its detail page, API detail or file); any other
is 404 (or 403 where the role has no such page at all) on every route and every method the
route declares, and its marker text is in no answer: no page, API list, drill-down or
workbook. A route the walks cannot fill fails ``test_every_route_is_walked_by_the_matrix``.
On 2 cores the module takes about half a minute (one world per module and worker)."""

import re

import pytest

from tests.integration import matrix
from tests.integration.matrix import AREAS, PERSONAS, fill, kwargs_of, leaked, resource_of

pytestmark = pytest.mark.django_db

# The URL's first segment → the kind of personal record its <pk> names.
PERSONAL = {
    "clients": "client",
    "cases": "case",
    "visits": "visit",
    "referrals": "referral",
    "service-records": "record",
    "activities": "activity",
    "alerts": "alert",
    "imports": "import",
    "import-jobs": "import",
    "notifications": "notification",
}
# Values for the other parts of a route (a step or status the view knows; one that is not
# is a 404 of its own and would test nothing).
NESTED = {"step": "assess", "status": "accepted", "section": "cases"}


@pytest.fixture(scope="module")
def town(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from matrix.town_fixture(django_db_setup, django_db_blocker, tmp_path_factory)


def personal_routes():
    return [r for r in matrix.routes() if "pk" in kwargs_of(r) and resource_of(r) in PERSONAL]


def is_view(route: str) -> bool:
    """The routes that show the record: its page, its API detail, an attachment's file."""
    return re.search(r"/<(int:)?pk>/$|/attachments/<int:attachment_id>/$", route) is not None


def _paths(route, obj, objects, persona):
    """(path, whether the persona may open it) for the route and the record. For a second
    id in the route, also another record's: an attachment of another record opens for
    nobody, a client to merge with only if both are in the area."""
    values = {"pk": obj.pk, **NESTED}
    if "attachment_id" in route:
        own = obj.extra["attachment"]
        yield fill(route, values | {"attachment_id": own}), obj.visible_to(persona)
        others = [o for o in objects if o.kind == "attachment" and o.pk != own]
        yield fill(route, values | {"attachment_id": others[obj.pk % len(others)].pk}), False
    elif "other_pk" in route:
        others = [o for o in objects if o.kind == "client" and o.pk != obj.pk]
        other = others[obj.pk % len(others)]
        path = fill(route, values | {"other_pk": other.pk})
        yield path, obj.visible_to(persona) and other.visible_to(persona)
    else:
        yield fill(route, values), obj.visible_to(persona)


def _check(client, persona, route, path, visible, objects):
    """What is wrong with the answers to the persona for ``path``. In scope, the record's
    page, API detail or file opens (its forms and steps are the apps' own tests). Out of
    scope, every method the route answers is 404, or 403 where the role may not use the
    route at all, and the answer shows nothing of the record."""
    if visible:
        status = client.get(path).status_code if is_view(route) else 200
        return [] if status == 200 else [(path, "GET", status, "in scope")]
    problems = []
    for method in matrix.methods_to_try(route):
        response = getattr(client, method)(path, content_type="application/json")
        if response.status_code == 405 and matrix.route_methods(route) is None:
            response = client.post(path)  # a page that only takes a form
        if response.status_code not in (403, 404):
            problems.append((path, method, response.status_code, "out of scope"))
        text = matrix.response_text(response)
        problems += [(path, "leak", m) for m in leaked(text, objects, persona)]
    return problems


# A persona without an area opens nothing: two edges (a room's records, and room B1's,
# which the project's purchaser, evaluator and agency might reach) stand for all of them.
EMPTY_AREA_TAGS = ("甲壹", "乙壹", "room_a1", "room_b1")


def records_for_walk(town, persona, kind):
    objects = [o for o in town.objects if o.kind == kind]
    if AREAS[persona] or kind == "import":
        return objects
    return [o for o in objects if any(t in m for t in EMPTY_AREA_TAGS for m in o.markers)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_personal_records_open_only_in_the_personas_area(town, client, persona):
    """Every route that takes a personal record's id, with the records of that kind."""
    client.force_login(getattr(town.users, persona))
    objects = town.objects
    wrong, opened = [], 0
    for route in personal_routes():
        kind = PERSONAL[resource_of(route)]
        for obj in records_for_walk(town, persona, kind):
            for path, visible in _paths(route, obj, objects, persona):
                wrong += _check(client, persona, route, path, visible, objects)
                opened += visible
    assert not wrong, "\n".join(map(str, wrong))
    assert bool(opened) == bool(AREAS[persona])


# Routes without an id that the walk leaves alone: signing in and out and the language
# switch act on the session (a GET of a logout would end the walk's), the token endpoint
# issues credentials, the schema and its viewer describe the API and hold no record.
NOT_WALKED = {
    "/login/",
    "/logout/",
    "/i18n/setlang/",
    "/api/v1/auth/token/",
    "/api/v1/schema/",
    "/api/v1/docs/",
}
# Self-service authentication pages (password change, two factors, token revocation) land
# under these names; they act on the reader's own account and are not walked either.
SELF_SERVICE = r"(^|/)(login|logout|password|passwd|2fa|otp|two[-_]factor|mfa|totp|token)"
# What a list needs to show its records: a search term, a metric, or a POST body.
QUERIES = {
    "/clients/": {"q": "对象"},
    "/coverage/details/": {"metric": "rooms_established"},
}
POSTED = {"/api/v1/clients/search/": {"q": "对象"}}
# The trail of changes names what changed, to the audit and district administrators of the
# district (its own purpose, AUDIT): their audit area is the district.
AUDIT_PAGES = r"^/(api/v1/)?audit"
AUDIT_AREA = {"auditor": ("500112",), "district": ("500112",)}
# Kinds that some list shows: each visible one must turn up, or the walk proves nothing.
LISTED = {"client", "case", "visit", "referral", "record", "activity", "alert"}


def walked_lists():
    return [
        r
        for r in matrix.routes()
        if not kwargs_of(r) and r not in NOT_WALKED and not re.search(SELF_SERVICE, r)
    ]


def _list_texts(client, route):
    """The route's answers: the page (or API list), and its workbook where it has one."""
    if route in POSTED:
        response = client.post(route, POSTED[route], content_type="application/json")
        return [response]
    query = QUERIES.get(route, {})
    if route.startswith("/api/"):
        return [client.get(route, query)]
    exported = client.get(route, query | {"export": "xlsx"})
    if not exported.get("Content-Type", "").startswith(matrix.XLSX):
        return [exported]  # the page ignores ?export: it is the page itself
    return [exported, client.get(route, query)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_exports_show_only_the_personas_area(town, client, persona):
    """Every page and endpoint without an id, and every workbook they export (each cell
    read with openpyxl), as the persona: no marker of a record outside the area, and every
    record inside it shows up somewhere."""
    client.force_login(getattr(town.users, persona))
    wrong, seen = [], []
    for route in walked_lists():
        for response in _list_texts(client, route):
            if response.status_code >= 500:
                wrong.append((route, response.status_code))
                continue
            text = matrix.response_text(response)
            audit = re.match(AUDIT_PAGES, route)
            area = AUDIT_AREA.get(persona, ()) if audit else AREAS[persona]
            wrong += [(route, m) for m in leaked(text, town.objects, persona, area)]
            seen.append(text)
    assert not wrong, "\n".join(map(str, wrong))
    everything = "\n".join(seen)
    missing = [
        (o.kind, m)
        for o in town.objects
        if o.kind in LISTED and o.visible_to(persona)
        for m in o.markers
        if m not in everything
    ]
    assert not missing, missing


# Registers and purchasing, by the URL's first segment: the ids the walk opens them with.
# Their own visibility rules are tested in test_scoping_matrix and the apps' tests; here
# every answer is read for personal records the persona may not see.
def registers(town):
    users = town.users
    accounts = [users.room_a1, users.agency_room, users.outsider]
    return {
        "units": [getattr(town, n).pk for n in ("center", "station_a", "room_b1")],
        "workers": [town.sw_a.pk, town.cw_b1.pk],
        "agencies": [town.agency.pk, town.other_agency.pk],
        "purchasers": [town.bureau.pk, town.town_purchaser.pk],
        "projects": [town.project.pk],
        "evaluations": [town.evaluation.pk],
        "accounts": [u.pk for u in accounts],
        "users": [u.pk for u in accounts],
        "security": [u.pk for u in accounts],
        "divisions": [matrix.TOWN_A, "500103001"],
        "notification-channels": [town.channel.pk],
        "crisis-words": [town.crisis_word.pk],
    }


def nested(town):
    """The second ids and names register routes take."""
    posting = town.cw_a1.assignments.first()
    return {
        "assignment_id": posting.pk,
        "grant_id": town.users.agency_room.grants.get().pk,
        "instalment_id": town.project.instalments.first().pk,
        "evidence_id": town.evidence.pk,
        "step": "procure",
    }


REGISTERS = {
    "units",
    "workers",
    "agencies",
    "purchasers",
    "projects",
    "evaluations",
    "accounts",
    "users",
    "security",
    "divisions",
    "notification-channels",
    "crisis-words",
}
REGISTER_NESTED = {"assignment_id", "grant_id", "instalment_id", "evidence_id", "step", "metric"}
PERSONAL_NESTED = {"attachment_id", "other_pk", "step", "status", "section"}


def has_id(route):
    return bool({"pk", "code"} & set(kwargs_of(route)))


def register_routes():
    return [r for r in matrix.routes() if has_id(r) and resource_of(r) not in PERSONAL]


def register_paths(town):
    """The register routes that answer GET (the others show nothing), with each id."""
    ids, more = registers(town), nested(town)
    for route in register_routes():
        if not matrix.answers_get(route):
            continue
        for pk in ids[resource_of(route)]:
            metrics = matrix.drill_metrics(town.project) if "metric" in kwargs_of(route) else [None]
            for metric in metrics:
                yield route, fill(route, {"pk": pk, "code": pk, "metric": metric, **more})


@pytest.mark.parametrize("persona", PERSONAS)
def test_registers_projects_and_drill_downs_show_no_record_outside_the_area(town, client, persona):
    """Every page and endpoint of units, workers, agencies, purchasers, projects (every
    indicator's drill-down), evaluations (and their workbook) and accounts, as the persona:
    none shows a personal record outside the persona's area."""
    client.force_login(getattr(town.users, persona))
    wrong = []
    for route, path in register_paths(town):
        responses = [client.get(path)]
        if not route.startswith("/api/") and responses[0].status_code == 200:
            exported = client.get(path, {"export": "xlsx"})
            if exported.get("Content-Type", "").startswith(matrix.XLSX):
                responses.append(exported)
        for response in responses:
            if response.status_code >= 500:
                wrong.append((path, response.status_code))
                continue
            text = matrix.response_text(response)
            wrong += [(path, m) for m in leaked(text, town.objects, persona)]
    assert not wrong, "\n".join(map(str, wrong))


DRILL_READERS = ["district", "station_b", "agency_a", "agency_room", "purchaser", "evaluator"]


@pytest.mark.parametrize("persona", DRILL_READERS)
def test_every_drill_down_opens_and_names_only_clients_in_the_area(town, client, persona):
    """The project's readers open every indicator's drill-down (page and API); purchasers
    and evaluators read numbered rows without a name or a link to a record, the others
    the names of their own area's clients (room B1's, where the project serves)."""
    client.force_login(getattr(town.users, persona))
    served = "乙壹对象"
    for metric in ("clients_served", "cases_opened", "referrals_completed"):
        page = client.get(f"/projects/{town.project.pk}/indicators/{metric}/")
        api = client.get(f"/api/v1/projects/{town.project.pk}/indicators/{metric}/")
        assert page.status_code == api.status_code == 200, metric
        rows = api.json()["results"]
        assert len(rows) == 1, metric
        named = bool(AREAS[persona])
        assert (served in page.content.decode()) is named, metric
        assert (rows[0]["client_name"] == served) is named, metric
        assert ("/clients/" in page.content.decode()) is named, metric


def test_every_route_is_walked_by_the_matrix(town):
    """Deny by default: a route the walks above cannot fill (a new resource or a new part
    of a route) fails here until it is given its records; routes without an id are walked
    as lists, but for the short list of session and documentation routes above."""
    assert set(registers(town)) == REGISTERS and set(nested(town)) | {"metric"} == (REGISTER_NESTED)
    unwalked = []
    for route in matrix.routes():
        names = set(kwargs_of(route))
        if not names:
            continue  # a list: walked, or one of NOT_WALKED / SELF_SERVICE
        resource = resource_of(route)
        if "pk" in names and resource in PERSONAL:
            known = PERSONAL_NESTED
        elif has_id(route) and resource in REGISTERS:
            known = REGISTER_NESTED
        else:
            unwalked.append(route)
            continue
        if names - {"pk", "code"} - known:
            unwalked.append(route)
    assert unwalked == []
    walked = set(walked_lists()) | set(personal_routes()) | set(register_routes())
    skipped = [r for r in matrix.routes() if r not in walked]
    assert all(r in NOT_WALKED or re.search(SELF_SERVICE, r) for r in skipped), skipped
    assert len(walked) > 150


# Who opens the project: the district, the station whose town it serves (room B1 is in
# town B), the agency that delivers it (each of its accounts), its purchasing department
# and the evaluator assigned to it. Nobody else learns it exists.
PROJECT_READERS = {"district", "station_b", "agency_a", "agency_room", "purchaser", "evaluator"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_units_workers_and_the_project_open_by_the_personas_area(town, client, persona):
    """Units and workers are read by the same area as the records (the agency that operates
    the centre does not see the centre's district, nor station B's town); the project by
    its parties only."""
    client.force_login(getattr(town.users, persona))
    units = [town.center, town.station_a, town.room_a2, town.room_b1, town.station_b]
    workers = [town.sw_a, town.cw_a2, town.cw_b1, town.other_worker]
    expected = [(f"units/{u.pk}/", u.division_id) for u in units]
    expected += [(f"workers/{w.pk}/", w.division_id) for w in workers]
    wrong = []
    for path, code in expected:
        visible = any(code.startswith(p) for p in AREAS[persona])
        for prefix in ("/", "/api/v1/"):
            status = client.get(prefix + path).status_code
            if status != (200 if visible else 404):
                wrong.append((prefix + path, status))
    project = town.project.pk
    for path in (f"/projects/{project}/", f"/api/v1/projects/{project}/"):
        status = client.get(path).status_code
        if status != (200 if persona in PROJECT_READERS else 404):
            wrong.append((path, status))
    assert not wrong, wrong


@pytest.mark.parametrize("persona", ["config", "district", "agency_a", "purchaser", "nobody"])
def test_the_django_admin_shows_configuration_only_to_its_administrator(town, client, persona):
    """The Django admin, the one part of the site the walks above leave out: every model it
    registers, list and first object, as each persona. Only the configuration administrator
    gets in, to the configuration models only; no page shows a personal record."""
    from django.contrib import admin
    from django.urls import reverse

    from shegong.access.backends import CONFIG_MODELS
    from shegong.access.services import grant_add

    if persona == "config":
        user = town.users.nobody
        grant_add(user=user, role="config_admin", unit=town.center, actor=None)
    else:
        user = getattr(town.users, persona)
    client.force_login(user)
    wrong = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        paths = [reverse(f"admin:{label}_changelist")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(reverse(f"admin:{label}_change", args=[first.pk]))
        for path in paths:
            response = client.get(path)
            configuration = f"{model._meta.app_label}.{model._meta.model_name}" in CONFIG_MODELS
            expected = (200 if configuration else 403) if persona == "config" else 302
            if response.status_code != expected:
                wrong.append((path, response.status_code, expected))
            text = matrix.response_text(response)
            wrong += [(path, m) for m in leaked(text, town.objects, "nobody")]
    assert not wrong, wrong


@pytest.mark.parametrize(
    "persona, status", [("room_a1", 200), ("agency_room", 403), ("agency_a", 403)]
)
def test_agency_staff_read_their_clients_but_never_reveal_a_sensitive_field(
    town, client, persona, status
):
    """Least privilege inside the area: agency staff read room A1's client, masked; the
    clear ID number or phone is for the frontline roles alone (page and API)."""
    from tests.conftest import api_for

    person = next(o for o in town.objects if o.kind == "client" and "甲壹" in o.markers[0])
    user = getattr(town.users, persona)
    client.force_login(user)
    body = {"field": "phone", "reason": "核实联系方式"}
    assert client.get(f"/clients/{person.pk}/").status_code == 200
    assert client.post(f"/clients/{person.pk}/", body).status_code == status
    api = api_for(user)
    assert api.post(f"/api/v1/clients/{person.pk}/reveal/", body, format="json").status_code == (
        status
    )
