"""When each client is next due a visit: the district's visit policies (REQUIREMENTS, visit
frequency tiers) applied to the client's risk tier and target groups. The visits app records
visits and asks this module for the next due date."""

import datetime

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


def refresh_all_due() -> int:
    """After the district changes the visit policies: every client's next due date again."""
    count = 0
    for client in Client.objects.prefetch_related("memberships").iterator(chunk_size=500):
        refresh_due(client)
        count += 1
    return count
