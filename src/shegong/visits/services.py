"""Home visits (R2.11, R3.2, R3.3): recording them and keeping each client's next due date."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.clients.schedule import refresh_due
from shegong.clients.services import crisis_alert_check
from shegong.common.services import save_with_history

from .models import Visit


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
    crisis_alert_check(
        clients=[client], actor=actor, text=f"{findings}\n{needs}", source=_("a home visit")
    )
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
