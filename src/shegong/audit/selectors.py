"""The change log across the business models, for the audit administrator."""

from heapq import merge
from itertools import islice

from shegong.access.models import User
from shegong.access.scoping import AUDIT, scope_prefixes, scope_q
from shegong.common.history import ACTIONS

from .registry import history_sources


def change_log(user, *, kind: str = "", limit: int = 200):
    """Newest changes first, limited to the divisions the user audits."""
    prefixes = scope_prefixes(user, AUDIT)
    streams = []
    for model, label, field in history_sources():
        if kind and model._meta.model_name != kind:
            continue
        records = (
            model.history.filter(scope_q(prefixes, field))
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        # A list, not a generator: ``label`` must be bound now, not when merge reads it.
        streams.append(
            [
                {
                    "when": r.history_date,
                    "who": r.history_user,
                    "kind": model._meta.model_name,
                    "what": label,
                    "object": str(r.instance) if r.history_type != "-" else r.history_object,
                    "action": ACTIONS.get(r.history_type, r.history_type),
                }
                for r in records
            ]
        )
    return list(islice(merge(*streams, key=lambda row: row["when"], reverse=True), limit))


def login_log(user, *, limit: int = 200):
    """Successful logins and logouts (django-axes' access log) of accounts in scope."""
    from axes.models import AccessLog

    usernames = User.objects.filter(scope_q(scope_prefixes(user, AUDIT), "division__code")).values(
        "username"
    )
    return AccessLog.objects.filter(username__in=usernames).order_by("-attempt_time")[:limit]


def sensitive_access_log(user, *, limit: int = 200):
    """Reveals and exports of sensitive data in the divisions the user audits."""
    from .models import AccessLog

    return (
        AccessLog.objects.filter(scope_q(scope_prefixes(user, AUDIT), "division_code"))
        .select_related("user")
        .order_by("-at")[:limit]
    )
