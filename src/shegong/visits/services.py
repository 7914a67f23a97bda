"""Home visits (R2.11, R3.2, R3.3): recording them and keeping each client's next due date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.common.services import save_with_history
from shegong.common.workdays import add_working_days

from .models import Visit, VisitPolicy


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


@transaction.atomic
def visit_record(
    *, client, actor, visited_on, mode, findings="", needs="", risk_change="", follow_up=""
) -> Visit:
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("This date is in the future.")]})
    if client.birth_date and visited_on < client.birth_date:
        raise ValidationError({"visited_on": [_("This date is before the client was born.")]})
    visit = Visit(
        client=client,
        visitor=actor,
        visited_on=visited_on,
        mode=mode,
        findings=findings,
        needs=needs,
        risk_change=risk_change,
        follow_up=follow_up,
    )
    save_with_history(visit, actor=actor)
    if risk_change and risk_change != client.risk_tier:
        from shegong.clients.services import risk_alert_raise

        client.risk_tier = risk_change
        client._history_user = actor
        client.save(update_fields=["risk_tier"])
        if risk_change == "high":
            risk_alert_raise(
                client=client, actor=actor, reason=findings[:200] or _("raised at a visit")
            )
    if client.last_visited_on is None or visited_on >= client.last_visited_on:
        client.last_visited_on = visited_on
        type(client).objects.filter(pk=client.pk).update(last_visited_on=visited_on)
    refresh_due(client)
    return visit


def refresh_all_due() -> int:
    """After the district changes the visit policies: every client's next due date again."""
    from shegong.clients.models import Client

    count = 0
    for client in Client.objects.prefetch_related("memberships").iterator(chunk_size=500):
        refresh_due(client)
        count += 1
    return count
