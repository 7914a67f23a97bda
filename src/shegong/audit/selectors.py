"""The change log across the business models, for the audit administrator."""

from heapq import merge
from itertools import islice

from django.utils.translation import gettext_lazy as _

from shegong.access.models import RoleGrant, User
from shegong.access.scoping import ACCOUNTS, scope_prefixes, scope_q
from shegong.network.models import Unit
from shegong.people.models import Assignment, Certificate, Worker

# model, label, the history column that holds the division code
SOURCES = [
    (Unit, _("unit"), "division__code"),
    (Worker, _("worker"), "division__code"),
    (Assignment, _("assignment"), "unit__division__code"),
    (Certificate, _("certificate"), "worker__division__code"),
    (User, _("account"), "division__code"),
    (RoleGrant, _("role grant"), "user__division__code"),
]
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def change_log(user, *, kind: str = "", limit: int = 200):
    """Newest changes first, limited to the divisions whose accounts ``user`` oversees."""
    prefixes = scope_prefixes(user, ACCOUNTS) or scope_prefixes(user)
    streams = []
    for model, label, field in SOURCES:
        if kind and model._meta.model_name != kind:
            continue
        records = (
            model.history.filter(scope_q(prefixes, field))
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        streams.append(
            {
                "when": r.history_date,
                "who": r.history_user,
                "what": label,
                "object": str(r.instance) if r.history_type != "-" else r.history_object,
                "action": ACTIONS.get(r.history_type, r.history_type),
            }
            for r in records
        )
    return list(islice(merge(*streams, key=lambda row: row["when"], reverse=True), limit))
