"""The one place that decides what a user may see.

A scope is a set of division-code prefixes. Every scoped queryset filters its division
column with ``LIKE 'prefix%'`` for each prefix; a user with no prefixes sees nothing
(deny by default). Two purposes exist: ``data`` (units, workers, reports, later clients) and
``accounts`` (whose accounts a user may manage).
"""

from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from shegong.divisions.codes import Level, code_prefix_q, covers, district_of

from .models import ADMINISTRATOR_ROLES, Role

DATA = "data"
ACCOUNTS = "accounts"
SECURITY = "security"
AUDIT = "audit"

# 等保 三员分立: each administrative purpose has its own roles; only DATA reaches service data.
PURPOSE_ROLES = {
    ACCOUNTS: {Role.DISTRICT_ADMIN, Role.SYSTEM_ADMIN},
    SECURITY: {Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN},
    AUDIT: {Role.DISTRICT_ADMIN, Role.AUDIT_ADMIN},
}
ACCOUNT_MANAGER_ROLES = PURPOSE_ROLES[ACCOUNTS]


def _grants(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_shegong_grants", None)
    if cache is None:
        cache = list(user.grants.select_related("unit", "agency", "purchaser"))
        user._shegong_grants = cache
    return cache


def grants_of(user) -> list:
    """The user's role grants (with unit, agency and purchaser), read once per request."""
    return _grants(user)


def unit_ids(user) -> set[int]:
    """The units the user holds a grant on: their own units, for inboxes and approvals."""
    return {g.unit_id for g in _grants(user) if g.unit_id}


def user_roles(user) -> set[str]:
    return {g.role for g in _grants(user)}


def scope_prefixes(user, purpose: str = DATA) -> tuple[str, ...]:
    """Division-code prefixes this user may see for ``purpose``; empty means nothing.
    Kept on the user object, which lives for one request."""
    cache = getattr(user, "_shegong_scopes", None)
    if cache is None:
        cache = {}
        if getattr(user, "is_authenticated", False):
            user._shegong_scopes = cache
    if purpose not in cache:
        cache[purpose] = _compute_prefixes(user, purpose)
    return cache[purpose]


def _compute_prefixes(user, purpose: str) -> tuple[str, ...]:
    prefixes: set[str] = set()
    for grant in _grants(user):
        if purpose == DATA:
            if grant.role in ADMINISTRATOR_ROLES:
                continue
            if grant.role == Role.AGENCY_STAFF and grant.agency_id and user.division_id:
                prefixes.update(_agency_prefixes(grant, district_of(user.division_id)))
            elif grant.unit_id and grant.role in {
                Role.DISTRICT_ADMIN,
                Role.STATION_STAFF,
                Role.ROOM_WORKER,
            }:
                prefixes.add(grant.unit.division_id)
        elif grant.role in PURPOSE_ROLES.get(purpose, ()) and grant.unit_id:
            prefixes.add(grant.unit.division_id)
    # Drop prefixes already covered by a shorter one.
    ordered = sorted(prefixes, key=len)
    kept: list[str] = []
    for p in ordered:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)


def _agency_prefixes(grant, home: str) -> set[str]:
    """Agency staff see the unit they are posted to (the grant's unit) or, without one, the
    stations and rooms their agency operates, and the units of the projects it delivers —
    never a whole district because the agency operates the centre, and never outside
    ``home``, the district of the account (whose administrator granted the role), however
    many districts the agency works in (issue 9, finding 4). Accounts are not linked to
    workers, so the grant's unit is the posting."""
    agency = grant.agency
    if grant.unit_id:
        found = {grant.unit.division_id}
    else:
        found = set(agency.units.live().values_list("division_id", flat=True))
    found.update(agency.projects.delivering().values_list("units__division_id", flat=True))
    return {p for p in found if p and len(p) > Level.DISTRICT and p.startswith(home)}


def scope_q(prefixes, field: str) -> Q:
    if not prefixes:
        return Q(pk__in=[])
    return reduce(or_, (code_prefix_q(field, p) for p in prefixes))


def filter_by_scope(queryset, user, field: str, purpose: str = DATA):
    return queryset.filter(scope_q(scope_prefixes(user, purpose), field))


def project_q(user) -> Q:
    """Purchased-service projects a user may see: in a district or station worker's area
    (bought there, or covering units there), bought by their purchaser, won by their
    agency, or assigned to them for evaluation. The one rule for every project list,
    detail, export and report."""
    if not _grants(user):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for prefix in scope_prefixes(user, DATA):
        if has_role(user, Role.DISTRICT_ADMIN, Role.STATION_STAFF, Role.ROOM_WORKER):
            q |= Q(division__code__startswith=prefix) | Q(units__division__code__startswith=prefix)
    for grant in _grants(user):
        if grant.role == Role.PURCHASER and grant.purchaser_id:
            q |= Q(purchaser_id=grant.purchaser_id)
        elif grant.role == Role.AGENCY_STAFF and grant.agency_id:
            q |= Q(agency_id=grant.agency_id)
    if has_role(user, Role.EVALUATOR):
        q |= Q(evaluations__evaluator=user)
    return q


def can_manage_projects(user) -> bool:
    """Lifecycle steps: the civil-affairs centre and purchasing departments (each only on
    the projects it may see)."""
    return has_role(user, Role.DISTRICT_ADMIN, Role.PURCHASER)


def can_write_projects(user) -> bool:
    """Who may write to projects at all: the managers, and agency staff for their monthly
    reports and responses; each service decides which step whom."""
    return can_manage_projects(user) or has_role(user, Role.AGENCY_STAFF)


def in_scope(user, division_code: str, purpose: str = DATA) -> bool:
    return any(covers(p, division_code) for p in scope_prefixes(user, purpose))


def has_role(user, *roles) -> bool:
    return bool(user_roles(user) & set(roles))


def can_manage_accounts(user) -> bool:
    return has_role(user, *ACCOUNT_MANAGER_ROLES)


def can_edit_network(user) -> bool:
    """The district registers units (and their lifecycle), agencies and purchasers."""
    return has_role(user, Role.DISTRICT_ADMIN)


def can_edit_workers(user) -> bool:
    return has_role(user, Role.DISTRICT_ADMIN, Role.STATION_STAFF)


# Frontline roles that register clients and may reveal their sensitive fields.
CLIENT_WORKER_ROLES = (Role.DISTRICT_ADMIN, Role.STATION_STAFF, Role.ROOM_WORKER)


def can_edit_clients(user) -> bool:
    return has_role(user, *CLIENT_WORKER_ROLES)


def can_view_coverage(user) -> bool:
    """Coverage is read per town, so it needs a data scope of a town or wider."""
    return any(len(p) <= Level.TOWN for p in scope_prefixes(user))


def can_view_audit(user) -> bool:
    return has_role(user, *PURPOSE_ROLES[AUDIT])


def can_manage_security(user) -> bool:
    return has_role(user, *PURPOSE_ROLES[SECURITY])


def ensure_in_scope(actor, division_code: str, field: str = "division"):
    if actor is not None and not in_scope(actor, division_code):
        raise ValidationError({field: _("This is outside your area.")})
