"""The workbench (工作台): each role's tasks for today, for the home page and the API.

Every list is asked of the owning app's selectors (so it is scoped as their pages are),
capped at ``CAP`` rows read with one query each (``CAP + 1`` rows tell whether there are
more, without counting the whole area), and links to the full list."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from shegong.access.models import ADMINISTRATOR_ROLES, Role
from shegong.access.scoping import (
    can_edit_clients,
    can_manage_accounts,
    can_manage_security,
    can_view_audit,
    can_view_coverage,
    has_role,
    scope_prefixes,
    user_roles,
)
from shegong.cases import selectors as cases
from shegong.clients.models import RiskAlert
from shegong.network.models import UnitKind
from shegong.network.selectors import units_for
from shegong.purchasing import selectors as purchasing
from shegong.records.selectors import records_for
from shegong.referrals import selectors as referrals
from shegong.visits import selectors as visits

CAP = 20  # rows per list; the list's own page has the rest
BADGE_CAP = 99  # menu badges show "99+" beyond


@dataclass
class Section:
    key: str
    title: str
    items: list = field(default_factory=list)
    more: bool = False  # more rows than shown
    more_url: str = ""
    empty: str = ""  # what to say when there is nothing


@dataclass
class Workbench:
    today: datetime.date
    roles: list[str]
    sections: list[Section] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)
    duties: list[dict] = field(default_factory=list)
    services: dict | None = None

    def section(self, key) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def capped(queryset, cap: int = CAP) -> tuple[list, bool]:
    """The first ``cap`` rows and whether there are more: one query, no count."""
    rows = list(queryset[: cap + 1])
    return rows[:cap], len(rows) > cap


def capped_count(queryset, cap: int = BADGE_CAP) -> int:
    """How many rows, counting at most ``cap + 1`` (a badge shows "99+" beyond)."""
    return queryset[: cap + 1].count()


# --- the lists -------------------------------------------------------------------------


def _visits_due(user, today) -> Section:
    rows, more = capped(visits.due_clients(user, within_days=0, today=today))
    items = [
        {
            "client_id": c.pk,
            "client": c.name,
            "village": c.division.name,
            "risk_tier": c.risk_tier,
            "risk_tier_label": c.get_risk_tier_display(),
            "due_on": c.next_visit_due,
            "days_overdue": (today - c.next_visit_due).days,
            "url": c.get_absolute_url(),
            "log_url": reverse("visits:visit-create", args=[c.pk]),
        }
        for c in rows
    ]
    return Section(
        "visits_due",
        _("Visits due today and overdue"),
        items,
        more,
        reverse("visits:due-list"),
        _("No visit is due today."),
    )


def _case_item(case, today) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "client": case.client.name,
        "stage": case.stage,
        "stage_label": case.get_stage_display(),
        "unit": case.unit.name,
        "review_on": case.review_on,
        "review_overdue": bool(case.review_on and case.review_on < today),
        "url": reverse("cases:case-detail", args=[case.pk]),
    }


def _my_cases(user, today) -> Section:
    rows, more = capped(cases.open_cases_of(user))
    return Section(
        "cases",
        _("My open cases"),
        [_case_item(c, today) for c in rows],
        more,
        reverse("cases:case-list"),
        _("No open case."),
    )


def _closures(user, today) -> Section:
    qs = cases.awaiting_approval(user).select_related("closure_requested_by").order_by("id")
    rows, more = capped(qs)
    items = []
    for case in rows:
        item = _case_item(case, today)
        item["requested_by"] = str(case.closure_requested_by or "")
        items.append(item)
    return Section(
        "closures",
        _("Closures awaiting your approval"),
        items,
        more,
        reverse("cases:case-list"),
        _("No closure is waiting."),
    )


def _referral_item(referral, direction, now) -> dict:
    counterpart = referral.from_unit if direction == "in" else referral.to_unit
    hours = (referral.due_at - now).total_seconds() / 3600
    return {
        "id": referral.pk,
        "direction": direction,
        "client": referral.client.name,
        "village": referral.client.division.name,
        "counterpart": str(counterpart or referral.external_name or ""),
        "urgency": referral.urgency,
        "urgency_label": referral.get_urgency_display(),
        "due_at": referral.due_at,
        "hours_left": int(hours) if hours >= 0 else -int(-hours) - 1,
        "overdue": hours < 0,
        "url": reverse("referrals:referral-detail", args=[referral.pk]),
    }


def _referrals(user, *, outgoing: bool) -> Section:
    now = timezone.now()
    inbox, more_in = capped(referrals.inbox(user))
    items = [_referral_item(r, "in", now) for r in inbox]
    more = more_in
    if outgoing:
        sent, more_out = capped(referrals.outbox(user))
        items += [_referral_item(r, "out", now) for r in sent]
        more = more or more_out
        items.sort(key=lambda i: i["due_at"])
        key, title = "referrals", _("Referrals waiting on me or sent by me")
    else:
        key, title = "inbox", _("Referral inbox")
    return Section(
        key,
        title,
        items,
        more,
        reverse("referrals:referral-list"),
        _("No referral is waiting."),
    )


def _alerts(user) -> Section:
    qs = (
        RiskAlert.objects.visible_to(user)
        .open()
        .select_related("client", "client__division")
        .order_by("-raised_at", "-id")
    )
    rows, more = capped(qs)
    items = [
        {
            "id": a.pk,
            "client_id": a.client_id,
            "client": a.client.name,
            "village": a.client.division.name,
            "reason": a.reason,
            "raised_at": a.raised_at,
            "url": a.client.get_absolute_url(),
        }
        for a in rows
    ]
    return Section(
        "alerts",
        _("Open risk alerts"),
        items,
        more,
        reverse("clients:alert-list"),
        _("No open alert."),
    )


def _overdue_by_village(user, today) -> Section:
    rows, more = capped(visits.overdue_by_village(user, today=today))
    due_list = reverse("visits:due-list")
    items = [
        {
            "village_code": r["division_id"],
            "village": r["division__name"],
            "overdue": r["overdue"],
            "since": r["since"],
            "url": f"{due_list}?{urlencode({'town': r['division_id']})}",
        }
        for r in rows
    ]
    return Section(
        "overdue_by_village",
        _("Overdue visits by village"),
        items,
        more,
        due_list,
        _("No visit is overdue."),
    )


def _quiet_rooms(user, today) -> Section:
    first = today.replace(day=1)
    served = records_for(user).filter(served_on__gte=first, served_on__lte=today)
    rooms = (
        units_for(user)
        .operating_on_date(today)
        .filter(kind=UnitKind.ROOM)
        .exclude(pk__in=served.values("unit_id"))
        .order_by("division_id")
    )
    rows, more = capped(rooms)
    items = [
        {
            "id": u.pk,
            "unit": u.name,
            "village": u.division.name,
            "url": reverse("network:unit-detail", args=[u.pk]),
        }
        for u in rows
    ]
    return Section(
        "quiet_rooms",
        _("Rooms with no service this month"),
        items,
        more,
        reverse("network:unit-list") + "?" + urlencode({"kind": UnitKind.ROOM}),
        _("Every room has recorded a service this month."),
    )


def _my_services(user, today) -> dict:
    first = today.replace(day=1)
    mine = records_for(user).filter(created_by=user, served_on__gte=first, served_on__lte=today)
    totals = mine.aggregate(records=Count("id"), minutes=Sum("duration_minutes"))
    recent = [
        {
            "id": r.pk,
            "served_on": r.served_on,
            "field": r.field.name,
            "method_label": r.get_method_display(),
            "minutes": r.duration_minutes,
            "url": reverse("records:record-detail", args=[r.pk]),
        }
        for r in mine.order_by("-served_on", "-id")[:5]
    ]
    query = urlencode({"start": first.isoformat(), "end": today.isoformat()})
    return {
        "month": first.strftime("%Y-%m"),
        "records": totals["records"] or 0,
        "minutes": totals["minutes"] or 0,
        "recent": recent,
        "url": f"{reverse('records:ledger')}?{query}",
        "new_url": reverse("records:record-create"),
    }


NEXT_STEP_LABELS = {
    "report": lambda: _("Monthly progress report due"),
    "evaluation": lambda: _("Evaluation to score"),
    "response": lambda: _("Evaluation to answer"),
    "instalment": lambda: _("Instalment payable"),
}


def _next_steps(user, today) -> Section:
    steps = purchasing.next_steps(user, today=today, limit=CAP + 1)
    items = []
    for s in steps[:CAP]:
        if s["kind"] in ("evaluation", "response"):
            url = reverse("purchasing:evaluation-detail", args=[s["object_id"]])
        else:
            url = reverse("purchasing:project-detail", args=[s["project_id"]])
        items.append(
            s
            | {
                "label": NEXT_STEP_LABELS[s["kind"]](),
                "overdue": bool(s["due_on"] and s["due_on"] < today),
                "url": url,
            }
        )
    return Section(
        "next_steps",
        _("Next steps of my projects"),
        items,
        len(steps) > CAP,
        reverse("purchasing:project-list"),
        _("Nothing is waiting on your projects."),
    )


def _summary(user, today) -> list[dict]:
    """The centre's figures, each a link into its list or report. Counts that could run
    over the whole district's rows are capped (``capped_count``)."""
    cap = 999
    rows = [
        (
            "alerts",
            _("Open risk alerts"),
            capped_count(RiskAlert.objects.visible_to(user).open(), cap),
            reverse("clients:alert-list"),
        ),
        (
            "overdue_visits",
            _("Clients with an overdue visit"),
            capped_count(visits.due_clients(user, within_days=-1, today=today).order_by(), cap),
            reverse("visits:due-list"),
        ),
        (
            "closures",
            _("Closures awaiting approval"),
            capped_count(cases.awaiting_approval(user), cap),
            reverse("cases:case-list"),
        ),
        (
            "referrals",
            _("Referrals awaiting a decision"),
            capped_count(referrals.inbox(user), cap),
            reverse("referrals:referral-list"),
        ),
    ]
    out = [
        {"key": k, "label": label, "value": n, "capped": n > cap, "url": url}
        for k, label, n, url in rows
    ]
    links = [
        ("ledger", _("Service ledger"), reverse("records:ledger")),
        ("board", _("Indicator board"), reverse("purchasing:board")),
    ]
    if can_view_coverage(user):
        links.insert(0, ("coverage", _("Coverage and compliance"), reverse("cockpit:coverage")))
    out += [
        {"key": k, "label": label, "value": None, "capped": False, "url": url}
        for k, label, url in links
    ]
    return out


def _duties(user) -> list[dict]:
    """The administrators' home: where their duty is done (no service data)."""
    duties = []
    if can_manage_accounts(user):
        duties.append(
            {"key": "accounts", "label": _("Accounts"), "url": reverse("accounts:user-list")}
        )
    if can_manage_security(user):
        duties.append(
            {"key": "security", "label": _("Security"), "url": reverse("accounts:security")}
        )
    if can_view_audit(user):
        duties.append(
            {"key": "audit", "label": _("Change log"), "url": reverse("audit:change-log")}
        )
    if has_role(user, Role.CONFIG_ADMIN):
        duties.append({"key": "config", "label": _("Configuration"), "url": reverse("admin:index")})
    return duties


# --- the whole ---------------------------------------------------------------------------


def workbench_for(user, today=None) -> Workbench:
    """The sections the user's roles call for, in the order of a day's work."""
    today = today or timezone.localdate()
    roles = user_roles(user)
    bench = Workbench(today=today, roles=sorted(roles))
    frontline = Role.ROOM_WORKER in roles and bool(scope_prefixes(user))
    station = Role.STATION_STAFF in roles
    centre = Role.DISTRICT_ADMIN in roles
    if centre:
        bench.summary = _summary(user, today)
    if frontline:
        bench.sections += [_visits_due(user, today), _my_cases(user, today)]
        bench.sections.append(_referrals(user, outgoing=True))
    if station or centre:
        bench.sections.append(_closures(user, today))
        if not frontline:
            bench.sections.append(_referrals(user, outgoing=False))
    if station:
        bench.sections += [_overdue_by_village(user, today), _quiet_rooms(user, today)]
    if can_edit_clients(user):
        bench.sections.append(_alerts(user))
    if frontline:
        bench.services = _my_services(user, today)
    if roles & {Role.PURCHASER, Role.AGENCY_STAFF, Role.EVALUATOR}:
        bench.sections.append(_next_steps(user, today))
    if roles & (ADMINISTRATOR_ROLES | {Role.DISTRICT_ADMIN}):
        bench.duties = _duties(user)
    return bench


def menu_badges(user) -> dict:
    """Counts for the menu (capped): the referral inbox and the closures awaiting."""
    if not can_edit_clients(user):
        return {}
    return {
        "inbox": capped_count(referrals.inbox(user)),
        "closures": capped_count(cases.awaiting_approval(user)),
    }
