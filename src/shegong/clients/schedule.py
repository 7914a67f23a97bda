"""When each client is next due a visit: the district's visit policies (REQUIREMENTS, visit
frequency tiers) applied to the client's risk tier and target groups. The visits app records
visits and asks this module for the next due date."""

import datetime

from django.db.models import Q
from django.utils import timezone

from shegong.common.workdays import add_working_days

from .models import Client, VisitPolicy


def _due_after(policy: VisitPolicy, base: datetime.date) -> datetime.date:
    if policy.working_days:
        return add_working_days(base, policy.interval)
    return base + datetime.timedelta(days=policy.interval)


def due_by_policies(policies, risk_tier: str, groups: set, base: datetime.date):
    """The earliest due date any matching policy gives, counted from ``base`` (no queries:
    a bulk import passes the policies once)."""
    dues = [
        _due_after(p, base)
        for p in policies
        if (not p.risk_tier or p.risk_tier == risk_tier)
        and (p.group_id is None or p.group_id in groups)
    ]
    return min(dues, default=None)


def next_due(client, base: datetime.date, today: datetime.date | None = None):
    today = today or timezone.localdate()
    groups = {m.group_id for m in client.memberships.all() if m.end_on is None or m.end_on >= today}
    return due_by_policies(VisitPolicy.objects.all(), client.risk_tier, groups, base)


def refresh_due(client) -> None:
    base = client.last_visited_on or timezone.localtime(client.created_at).date()
    client.next_visit_due = next_due(client, base)
    # A bookkeeping column, not a change to the person: no history row for it.
    type(client).objects.filter(pk=client.pk).update(next_visit_due=client.next_visit_due)


BULK_CHUNK = 1000


def refresh_due_bulk(clients, today: datetime.date | None = None) -> int:
    """``refresh_due`` for many clients at once, in a number of queries that does not grow
    with them (per chunk of BULK_CHUNK: one for their memberships, one UPDATE): the policies
    are read once, and each client needs only ``pk``, ``risk_tier``, ``last_visited_on`` and
    ``created_at`` loaded. Sets ``next_visit_due`` on the objects too. Returns how many."""
    from .models import Membership

    clients = list(clients)
    if not clients:
        return 0
    today = today or timezone.localdate()
    policies = list(VisitPolicy.objects.all())
    for start in range(0, len(clients), BULK_CHUNK):
        chunk = clients[start : start + BULK_CHUNK]
        groups: dict[int, set] = {c.pk: set() for c in chunk}
        for client_id, group_id in (
            Membership.objects.filter(client_id__in=list(groups))
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
            .values_list("client_id", "group_id")
        ):
            groups[client_id].add(group_id)
        for client in chunk:
            base = client.last_visited_on or timezone.localtime(client.created_at).date()
            client.next_visit_due = due_by_policies(
                policies, client.risk_tier, groups[client.pk], base
            )
        # A bookkeeping column, not a change to the person: no history row for it.
        Client.objects.bulk_update(chunk, ["next_visit_due"], batch_size=BULK_CHUNK)
    return len(clients)


def refresh_all_due() -> int:
    """After the district changes the visit policies: every client's next due date again."""
    count = 0
    chunk = []
    fields = ("pk", "risk_tier", "last_visited_on", "created_at")
    for client in Client.objects.only(*fields).order_by("pk").iterator(chunk_size=BULK_CHUNK):
        chunk.append(client)
        if len(chunk) == BULK_CHUNK:
            count += refresh_due_bulk(chunk)
            chunk = []
    return count + refresh_due_bulk(chunk)
