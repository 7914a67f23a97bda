"""Referral transitions: pending → accepted → completed, pending → declined / cancelled.

Up or down one level inside the district (room ↔ station ↔ centre) or out to an outside
body. The receiving unit decides; for an outside body the sender records its answer."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role
from shegong.access.scoping import has_role, in_scope, unit_ids
from shegong.common.services import save_with_history, step_locked
from shegong.common.workdays import add_working_days
from shegong.divisions.codes import covers, district_of, town_of
from shegong.network.models import UnitKind

from .models import Referral, Status, Urgency

# What ``referral_create`` takes besides the client referred.
REFERRAL_FIELDS = [
    "from_unit",
    "to_unit",
    "external_kind",
    "external_name",
    "reason",
    "urgency",
    "consent_checked",
]

TRANSITIONS = {
    Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.CANCELLED},
    Status.ACCEPTED: {Status.COMPLETED},
}
# kind -> (the kind of the unit above, the code of the division it sits at)
PARENT = {
    UnitKind.ROOM: (UnitKind.STATION, town_of),
    UnitKind.STATION: (UnitKind.CENTER, district_of),
}
CHILD = {UnitKind.CENTER: UnitKind.STATION, UnitKind.STATION: UnitKind.ROOM}


def is_adjacent(from_unit, to_unit) -> bool:
    """One level up (the unit above) or one level down (a unit below in its area)."""
    up = PARENT.get(from_unit.kind)
    if up and to_unit.kind == up[0] and to_unit.division_id == up[1](from_unit.division_id):
        return True
    return CHILD.get(from_unit.kind) == to_unit.kind and covers(
        from_unit.division_id, to_unit.division_id
    )


def due_for(urgency: str, now=None) -> datetime.datetime:
    now = now or timezone.now()
    if urgency == Urgency.URGENT:
        return now + datetime.timedelta(hours=24)
    day = add_working_days(timezone.localtime(now).date(), 3)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))


class DuplicateReferral(ValidationError):
    """A second pending referral of one client to the same receiver; ``first`` is the one
    waiting (the API answers its id, the page links to it)."""

    def __init__(self, first: Referral, field: str):
        receiver = first.to_unit or first.external_name or first.get_external_kind_display()
        message = _(
            "This client already has a referral to %(receiver)s awaiting a decision "
            "(no. %(id)s, sent %(sent)s); follow that one up or cancel it first."
        ) % {
            "receiver": receiver,
            "id": first.pk,
            "sent": timezone.localtime(first.created_at).strftime("%Y-%m-%d %H:%M"),
        }
        super().__init__({field: [message]})
        self.first = first


def pending_duplicate(client, to_unit=None, external_kind="", external_name=""):
    """The pending referral of ``client`` to the same receiver, if any.

    A duplicate is a referral of the same client, still awaiting a decision, to the same
    receiver: the same unit (whichever unit sent it: the receiver's inbox has it already),
    or the same kind of outside body under the same name (case and spaces ignored). A
    referral to another receiver (up to the station and out to a hospital at once) is not
    a duplicate."""
    pending = Referral.objects.filter(client=client, status=Status.PENDING)
    if to_unit is not None:
        return pending.filter(to_unit=to_unit).order_by("created_at").first()
    name = " ".join((external_name or "").split()).casefold()
    for referral in pending.filter(to_unit=None, external_kind=external_kind).order_by(
        "created_at"
    ):
        if " ".join(referral.external_name.split()).casefold() == name:
            return referral
    return None


@transaction.atomic
def referral_create(
    *,
    actor,
    client,
    from_unit,
    reason,
    urgency=Urgency.NORMAL,
    consent_checked=False,
    to_unit=None,
    external_kind="",
    external_name="",
) -> Referral:
    errors = {}
    if not in_scope(actor, from_unit.division_id) or not in_scope(actor, client.division_id):
        errors["from_unit"] = [_("This is outside your area.")]
    elif not covers(from_unit.division_id, client.division_id):
        errors["from_unit"] = [_("The client does not live in this unit's area.")]
    if bool(to_unit) == bool(external_kind):
        errors["to_unit"] = [_("Refer to one unit or to one outside body.")]
    elif to_unit is not None and not is_adjacent(from_unit, to_unit):
        errors["to_unit"] = [_("Refer one level up, or down to a unit in your area.")]
    elif to_unit is not None and not covers(to_unit.division_id, client.division_id):
        # Down to a room of another village: the room would never see it (its inbox and
        # the client are in different areas) and the referral would wait for nobody.
        errors["to_unit"] = [
            _("This unit does not serve the client's village or community; refer to one that does.")
        ]
    if not consent_checked and not client.consents.exists():
        errors["consent_checked"] = [
            _("Confirm the client (or guardian) agreed, or record their consent first.")
        ]
    if len((reason or "").strip()) < 4:
        errors["reason"] = [_("Say why the client is referred.")]
    if errors:
        raise ValidationError(errors)
    # The client's row locked: two referrals of one client sent at once are taken in turn,
    # so the second sees the first.
    type(client).objects.select_for_update().filter(pk=client.pk).first()
    first = pending_duplicate(client, to_unit, external_kind, external_name)
    if first is not None:
        raise DuplicateReferral(first, "to_unit" if to_unit is not None else "external_kind")
    referral = Referral(
        client=client,
        from_unit=from_unit,
        to_unit=to_unit,
        external_kind=external_kind,
        external_name=external_name,
        reason=reason.strip(),
        urgency=urgency,
        consent_checked=consent_checked,
        created_by=actor,
        due_at=due_for(urgency),
    )
    return save_with_history(referral, actor=actor)


def can_cancel(actor, referral) -> bool:
    return referral.created_by_id == actor.pk or referral.from_unit_id in unit_ids(actor)


def can_decide(actor, referral) -> bool:
    if referral.to_unit_id is None:  # an outside body answers through the sender
        return referral.from_unit_id in unit_ids(actor) or has_role(actor, Role.DISTRICT_ADMIN)
    return referral.to_unit_id in unit_ids(actor)


@transaction.atomic
def referral_transition(*, referral: Referral, to_status: str, actor, note: str = "") -> Referral:
    # Compare-and-set: refused if another transition moved it since the caller read it.
    referral = step_locked(referral, "status")
    if to_status not in TRANSITIONS.get(referral.status, set()):
        raise ValidationError(
            {
                "status": [
                    _("A referral that is %(current)s cannot become %(target)s.")
                    % {
                        "current": referral.get_status_display(),
                        "target": dict(Status.choices).get(to_status, to_status),
                    }
                ]
            }
        )
    if to_status == Status.CANCELLED:
        if not can_cancel(actor, referral):
            raise PermissionDenied(_("Only the sender may cancel a referral."))
    elif not can_decide(actor, referral):
        raise PermissionDenied(_("Only the receiving unit decides on a referral."))
    if to_status == Status.DECLINED and len(note.strip()) < 2:
        raise ValidationError({"note": [_("Give the reason for declining.")]})
    referral.status = to_status
    referral.decision_note = note.strip()[:200]
    if to_status in {Status.ACCEPTED, Status.DECLINED}:
        referral.decided_by, referral.decided_at = actor, timezone.now()
    save_with_history(referral, actor=actor)
    if to_status == Status.ACCEPTED and referral.to_unit_id:
        # Ownership moves with the acceptance: the client's open case goes to the unit
        # that accepted it.
        from shegong.cases.services import case_transfer

        case_transfer(referral=referral, actor=actor)
    return referral
