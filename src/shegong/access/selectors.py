from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import RoleGrant, User
from .scoping import ACCOUNTS, filter_by_scope


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
    from .scoping import SECURITY

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
