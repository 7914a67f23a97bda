"""Group work and community activities (MZ/T 095-2017): prepare (plan and recruit) → hold
sessions (each one a service record) → end with an evaluation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import ensure_in_scope
from shegong.common.services import locked_into, save_with_history, step_locked
from shegong.divisions.codes import covers, district_of
from shegong.records.services import service_record_create

from .models import Activity, Kind, Status

OPEN = (Status.PLANNED, Status.RUNNING)
# The activity's own fields, as ``activity_create`` takes them (members are enrolled apart).
ACTIVITY_FIELDS = [
    "kind",
    "unit",
    "title",
    "field",
    "target_groups",
    "leader",
    "needs",
    "goals",
    "plan",
    "planned_sessions",
    "start_on",
]


def _outside(unit, clients) -> list[str]:
    return [c.name for c in clients if not covers(unit.division_id, c.division_id)]


def _refuse_unless(activity, statuses, field="status"):
    if activity.status not in statuses:
        raise ValidationError(
            {
                field: [
                    _("An activity that is %(status)s cannot take this step.")
                    % {"status": activity.get_status_display()}
                ]
            }
        )


@transaction.atomic
def activity_create(
    *,
    actor,
    kind,
    unit,
    title,
    field,
    leader,
    needs,
    goals,
    start_on,
    plan="",
    planned_sessions=1,
    target_groups=(),
    members=(),
) -> Activity:
    ensure_in_scope(actor, unit.division_id, field="unit")
    errors: dict[str, list[str]] = {}
    outside = _outside(unit, members)
    if outside:
        errors["members"] = [_("Not in this unit's area: %s") % "、".join(outside)]
    if not 1 <= (planned_sessions or 0) <= 100:
        errors["planned_sessions"] = [_("Between 1 and 100 sessions.")]
    if not covers(district_of(unit.division_id), leader.division_id):
        errors["leader"] = [_("The leader works outside this district.")]
    if errors:
        raise ValidationError(errors)
    activity = save_with_history(
        Activity(
            kind=kind,
            unit=unit,
            title=title.strip(),
            field=field,
            leader=leader,
            needs=needs.strip(),
            goals=goals.strip(),
            plan=(plan or "").strip(),
            planned_sessions=planned_sessions,
            start_on=start_on,
            created_by=actor,
        ),
        actor=actor,
    )
    activity.target_groups.set(target_groups)
    activity.members.set(members)
    return activity


@transaction.atomic
def activity_enrol(*, activity, actor, members) -> Activity:
    """Add members to a group (recruitment may go on while it runs)."""
    activity = locked_into(activity)
    _refuse_unless(activity, OPEN)
    outside = _outside(activity.unit, members)
    if outside:
        raise ValidationError({"members": [_("Not in this unit's area: %s") % "、".join(outside)]})
    activity.members.add(*members)
    return activity


@transaction.atomic
def session_add(
    *,
    activity,
    actor,
    served_on,
    duration_minutes,
    clients=(),
    other_participants=0,
    workers=(),
    items=(),
    notes="",
    outcome="",
):
    """A session held: recorded as a service record of the activity's unit and field. In a
    group, those who attend are its members."""
    activity = locked_into(activity)
    _refuse_unless(activity, OPEN)
    if activity.kind == Kind.GROUP:
        members = set(activity.members.values_list("pk", flat=True))
        strangers = [c.name for c in clients if c.pk not in members]
        if strangers:
            raise ValidationError(
                {"clients": [_("Not members of this group: %s") % "、".join(strangers)]}
            )
    if served_on < activity.start_on:
        raise ValidationError({"served_on": [_("This date is before the activity starts.")]})
    record = service_record_create(
        actor=actor,
        unit=activity.unit,
        served_on=served_on,
        duration_minutes=duration_minutes,
        method=activity.kind,  # the record methods include group and community
        field=activity.field,
        items=items,
        clients=clients,
        other_participants=other_participants,
        workers=workers or [activity.leader],
        notes=notes,
        outcome=outcome,
        activity=activity,
    )
    if activity.status == Status.PLANNED:
        activity.status = Status.RUNNING
        save_with_history(activity, actor=actor)
    return record


@transaction.atomic
def activity_evaluate(
    *, activity, actor, evaluation, evaluated_on, goals_met, satisfaction=None
) -> Activity:
    # Compare-and-set: refused if another step moved it since the caller read it.
    activity = step_locked(activity, "status")
    _refuse_unless(activity, (Status.RUNNING, Status.EVALUATED))
    errors: dict[str, list[str]] = {}
    if len((evaluation or "").strip()) < 4:
        errors["evaluation"] = [_("Write the evaluation.")]
    if evaluated_on > timezone.localdate():
        errors["evaluated_on"] = [_("This date is in the future.")]
    else:
        last = activity.service_records.order_by("-served_on").values_list("served_on", flat=True)
        if last and evaluated_on < last[0]:
            errors["evaluated_on"] = [_("This date is before the last session.")]
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors["satisfaction"] = [_("Between 1 and 5.")]
    if errors:
        raise ValidationError(errors)
    activity.evaluation, activity.evaluated_on = evaluation.strip(), evaluated_on
    activity.goals_met, activity.satisfaction = goals_met, satisfaction
    activity.status = Status.EVALUATED
    return save_with_history(activity, actor=actor)


@transaction.atomic
def activity_cancel(*, activity, actor, reason) -> Activity:
    activity = step_locked(activity, "status")
    _refuse_unless(activity, OPEN)
    if len((reason or "").strip()) < 2:
        raise ValidationError({"reason": [_("Say why the activity is cancelled.")]})
    activity.status, activity.cancel_reason = Status.CANCELLED, reason.strip()[:200]
    return save_with_history(activity, actor=actor)
