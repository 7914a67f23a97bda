from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from shegong.access.models import RoleGrant, User
from shegong.access.scoping import ACCOUNTS, filter_by_scope


def users_for(actor):
    """Accounts the actor may manage: those whose home division lies in its account scope."""
    return filter_by_scope(
        User.objects.select_related("division").prefetch_related(
            Prefetch("grants", queryset=RoleGrant.objects.select_related("unit", "agency"))
        ),
        actor,
        "division__code",
        ACCOUNTS,
    ).order_by("username")


def user_get(actor, pk) -> User:
    return get_object_or_404(users_for(actor), pk=pk)


def user_search(actor, *, q="", role="", active=""):
    qs = users_for(actor)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if role:
        qs = qs.filter(grants__role=role).distinct()
    if active in {"yes", "no"}:
        qs = qs.filter(is_active=active == "yes")
    return qs


def grant_get(actor, user, pk) -> RoleGrant:
    return get_object_or_404(user.grants.all(), pk=pk)


def security_users(actor):
    """Accounts whose logins the actor's security role oversees."""
    from shegong.access.scoping import SECURITY

    return filter_by_scope(User.objects.all(), actor, "division__code", SECURITY)


def login_failures(actor):
    """Recorded failed-login streaks (django-axes) of accounts in the actor's security scope,
    each with whether it currently locks the account."""
    from axes.models import AccessAttempt
    from django.conf import settings

    usernames = security_users(actor).values("username")
    attempts = AccessAttempt.objects.filter(username__in=usernames).order_by("-attempt_time")
    users = {u.username: u for u in security_users(actor)}
    limit = settings.AXES_FAILURE_LIMIT
    return [
        {"attempt": a, "user": users.get(a.username), "locked": a.failures_since_start >= limit}
        for a in attempts[:200]
    ]


def account_history(account, limit: int = 50):
    """The account's own changes and its role grants and revocations, newest first."""
    from django.utils.translation import gettext_lazy as _

    from shegong.common.history import history_rows

    rows = history_rows(account, limit=limit)
    labels = {"+": _("role granted"), "-": _("role revoked"), "~": _("role changed")}
    grants = (
        RoleGrant.history.filter(user_id=account.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    for record in grants:
        label = labels.get(record.history_type, record.history_type)
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user or _("system"),
                "action": label,
                "detail": _grant_text(record),
                "changes": [],
            }
        )
    return sorted(rows, key=lambda row: row["when"], reverse=True)[:limit]


def _grant_text(record) -> str:
    from shegong.access.models import Role
    from shegong.network.models import Agency, Unit

    where = ""
    if record.unit_id:
        where = Unit.objects.filter(pk=record.unit_id).values_list("name", flat=True).first()
    elif record.agency_id:
        where = Agency.objects.filter(pk=record.agency_id).values_list("name", flat=True).first()
    return f"{Role(record.role).label} @ {where or '-'}"


def two_factor_accounts(actor):
    """The accounts in the actor's security scope that log in with a second factor, each
    with whether it has enrolled an authenticator."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shegong.access.models import TWO_FACTOR_ROLES

    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        security_users(actor)
        .filter(Q(grants__role__in=TWO_FACTOR_ROLES) | Q(is_staff=True), is_active=True)
        .distinct()
        .annotate(enrolled=Exists(enrolled))
        .order_by("username")
    )
