"""What is due, as messages for ``shegong.notifications`` (issue 10 item 10).

Each reminder names its subject in ``key`` so that a run repeated the same day sends
nothing new: overdue high-risk visits (per room, its workers), referral decisions due
within four hours (per referral, the receiving unit), closures awaiting approval (per case,
the station supervisors), case reviews due (per case, its unit's workers), monthly progress
reports due (per project, the agency's staff), and a daily digest per person. Names are
masked (张*丰); no ID number or phone is ever read here."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role, RoleGrant
from shegong.cases.models import Case, Stage
from shegong.clients.models import Client, RiskTier
from shegong.divisions.codes import town_of
from shegong.network.models import Unit, UnitKind
from shegong.notifications.models import Kind, Notification
from shegong.notifications.recipients import station_supervisors, unit_staff
from shegong.notifications.services import Message
from shegong.notifications.text import mask_name
from shegong.purchasing.models import ProgressReport, Project
from shegong.purchasing.models import Stage as ProjectStage
from shegong.referrals.models import Referral, Status

REFERRAL_WINDOW = datetime.timedelta(hours=4)
# A reminder lists at most this many names; the rest are counted.
MAX_NAMES = 10


def _names(items) -> str:
    shown = "、".join(items[:MAX_NAMES])
    more = len(items) - MAX_NAMES
    return shown + (_(" and %(n)d more") % {"n": more} if more > 0 else "")


def overdue_high_risk_visits(today) -> list[Message]:
    clients = (
        Client.objects.filter(
            merged_into__isnull=True, risk_tier=RiskTier.HIGH, next_visit_due__lt=today
        )
        .order_by("next_visit_due", "pk")
        .values_list("name", "division_id", "next_visit_due")
    )
    by_village: dict[str, list[tuple[str, int]]] = {}
    for name, village, due in clients:
        by_village.setdefault(village, []).append((mask_name(name), (today - due).days))
    if not by_village:
        return []
    rooms = dict(
        Unit.objects.live()
        .filter(kind=UnitKind.ROOM, division_id__in=list(by_village))
        .values_list("division_id", "pk")
    )
    stations = dict(
        Unit.objects.live()
        .filter(kind=UnitKind.STATION, division_id__in={town_of(v) for v in by_village})
        .values_list("division_id", "pk")
    )
    messages = []
    for village, rows in by_village.items():
        unit_id = rooms.get(village) or stations.get(town_of(village))
        if unit_id is None:
            continue
        listed = [_("%(name)s (%(days)d days overdue)") % {"name": n, "days": d} for n, d in rows]
        messages.append(
            Message(
                kind=Kind.OVERDUE_VISIT,
                key=f"overdue-high:{village}",
                title=_("%(n)d high-risk clients overdue for a visit") % {"n": len(rows)},
                body=_names(listed),
                url=reverse("visits:due-list") + "?overdue=1",
                users=unit_staff([unit_id]),
                unit_id=unit_id,
            )
        )
    return messages


def referral_deadlines(now) -> list[Message]:
    referrals = (
        Referral.objects.filter(
            status=Status.PENDING, to_unit__isnull=False, due_at__lte=now + REFERRAL_WINDOW
        )
        .select_related("client")
        .order_by("due_at")
    )
    messages = []
    for referral in referrals:
        hours = (referral.due_at - now).total_seconds() / 3600
        local = timezone.localtime(referral.due_at).strftime("%m-%d %H:%M")
        when = (
            _("overdue since %(at)s") % {"at": local}
            if hours < 0
            else _("due %(at)s (in %(h).1f hours)") % {"at": local, "h": hours}
        )
        messages.append(
            Message(
                kind=Kind.REFERRAL_DUE,
                key=f"referral-due:{referral.pk}",
                title=_("Referral awaiting your decision: %(name)s")
                % {"name": mask_name(referral.client.name)},
                body=when,
                url=reverse("referrals:referral-detail", args=[referral.pk]),
                users=unit_staff([referral.to_unit_id]),
                unit_id=referral.to_unit_id,
            )
        )
    return messages


def closures_awaiting(today) -> list[Message]:
    messages = []
    cases = Case.objects.filter(stage=Stage.CLOSING).select_related("client", "unit")
    for case in cases:
        users, station_id = station_supervisors(case.unit.division_id)
        if case.supervisor_id and case.supervisor_id != case.closure_requested_by_id:
            users.append(case.supervisor)
        users = [u for u in users if u.pk != case.closure_requested_by_id]
        messages.append(
            Message(
                kind=Kind.CLOSURE,
                key=f"closure:{case.pk}",
                title=_("Closure awaiting your approval: %(name)s")
                % {"name": mask_name(case.client.name)},
                body=_("Requested for the case of %(name)s.")
                % {"name": mask_name(case.client.name)},
                url=reverse("cases:case-detail", args=[case.pk]),
                users=users,
                unit_id=station_id,
            )
        )
    return messages


def case_reviews_due(today) -> list[Message]:
    cases = (
        Case.objects.open()
        .exclude(stage=Stage.CLOSING)
        .filter(review_on__lte=today)
        .select_related("client")
    )
    messages = []
    for case in cases:
        late = (today - case.review_on).days
        messages.append(
            Message(
                kind=Kind.CASE_REVIEW,
                key=f"case-review:{case.pk}",
                title=_("Case review due: %(name)s") % {"name": mask_name(case.client.name)},
                body=(
                    _("Review date %(on)s, %(days)d days ago.")
                    % {"on": case.review_on, "days": late}
                    if late
                    else _("Review date today.")
                ),
                url=reverse("cases:case-detail", args=[case.pk]),
                users=unit_staff([case.unit_id]),
                unit_id=case.unit_id,
            )
        )
    return messages


def reports_due(today) -> list[Message]:
    """A contracted project's report for last month, once its period covered that month."""
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    projects = Project.objects.filter(
        stage=ProjectStage.CONTRACTED,
        agency__isnull=False,
        start_on__lt=today.replace(day=1),
        end_on__gte=month,
    ).exclude(pk__in=ProgressReport.objects.filter(month=month).values("project_id"))
    messages = []
    for project in projects:
        grants = RoleGrant.objects.filter(role=Role.AGENCY_STAFF, agency_id=project.agency_id)
        users = list(
            get_user_model().objects.filter(pk__in=grants.values("user_id"), is_active=True)
        )
        messages.append(
            Message(
                kind=Kind.REPORT_DUE,
                key=f"report-due:{project.pk}:{month:%Y-%m}",
                title=_("Progress report due: %(project)s") % {"project": project.name},
                body=_("The report for %(month)s has not been submitted.")
                % {"month": month.strftime("%Y-%m")},
                url=reverse("purchasing:project-detail", args=[project.pk]),
                users=users,
            )
        )
    return messages


def all_reminders(now=None) -> list[Message]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return [
        *overdue_high_risk_visits(today),
        *referral_deadlines(now),
        *closures_awaiting(today),
        *case_reviews_due(today),
        *reports_due(today),
    ]


def digests(now=None) -> list[Message]:
    """One message per person with reminders today: a count per kind, and the same by
    e-mail through their unit's e-mail channel (the robots post the unit's reminders)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if timezone.localtime(now).hour < getattr(settings, "SHEGONG_DIGEST_HOUR", 7):
        return []
    rows = (
        Notification.objects.filter(day=today)
        .exclude(kind=Kind.DIGEST)
        .values_list("user_id", "kind")
    )
    counts: dict[int, dict[str, int]] = {}
    for user_id, kind in rows:
        counts.setdefault(user_id, {}).setdefault(kind, 0)
        counts[user_id][kind] += 1
    if not counts:
        return []
    users = get_user_model().objects.in_bulk(list(counts))
    first_unit = dict(
        RoleGrant.objects.filter(user_id__in=list(counts), unit__isnull=False)
        .order_by("-pk")
        .values_list("user_id", "unit_id")
    )
    labels = dict(Kind.choices)
    messages = []
    for user_id, kinds in counts.items():
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        lines = [f"{labels[k]}: {n}" for k, n in sorted(kinds.items())]
        messages.append(
            Message(
                kind=Kind.DIGEST,
                key=f"digest:{user_id}",
                title=_("Today's reminders (%(date)s)") % {"date": today.isoformat()},
                body="\n".join(lines),
                url=reverse("notifications:notification-list"),
                users=[user],
                unit_id=first_unit.get(user_id),
            )
        )
    return messages
