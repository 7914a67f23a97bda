"""Writes to the service network: registering units and moving them through their
lifecycle; registering the agencies that run them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import can_edit_network, ensure_in_scope
from shegong.common.creditcode import validate_credit_code
from shegong.common.services import (
    model_update,
    refuse_unknown,
    save_with_history,
    step_locked,
)

from .models import (
    KIND_LEVEL,
    LIFECYCLE,
    STATUS_DATE_FIELD,
    Agency,
    Facility,
    OperatingMode,
    Unit,
    UnitStatus,
    UnitStatusChange,
)

# What can be edited after registration, in display order; kind and division are fixed.
DETAIL_FIELDS = [
    "name",
    "operating_mode",
    "agency",
    "head",
    "deputy_head",
    "address",
    "phone",
    "opening_hours",
    "floor_area",
    "has_casework_room",
    "has_group_room",
    "shared_facilities",
]
EDITABLE_FIELDS = set(DETAIL_FIELDS)
UNIT_FIELDS = {"kind", "division", *DETAIL_FIELDS}


def validate_unit(unit: Unit) -> None:
    """Every rule a unit must satisfy, with errors keyed on the field at fault."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    division = unit.division if unit.division_id else None
    if division is not None:
        expected = KIND_LEVEL.get(unit.kind)
        if expected and division.level != expected:
            messages = {
                6: _("A guidance centre must sit on a district code (6 digits)."),
                9: _("A station must sit on a town / street code (9 digits)."),
                12: _("A room must sit on a village / community code (12 digits)."),
            }
            add("division", messages[expected])
        if not division.is_active:
            add("division", _("This division is no longer in the statistical codes."))
        if unit.closed_on is None:
            other = Unit.objects.live().filter(division_id=division.code).exclude(pk=unit.pk)
            existing = other.first()
            if existing:
                add(
                    "division",
                    _("%(division)s already has a live unit: %(unit)s.")
                    % {"division": division.name, "unit": existing.name},
                )
    if unit.operating_mode == OperatingMode.CONTRACTED and not unit.agency_id:
        add("agency", _("A contracted unit needs its operating agency."))
    if unit.operating_mode == OperatingMode.SELF_RUN and unit.agency_id:
        add("agency", _("A self-run unit has no operating agency."))
    unknown = set(unit.shared_facilities or []) - set(Facility.values)
    if unknown:
        add("shared_facilities", _("Unknown facility: %s") % ", ".join(sorted(unknown)))

    # Lifecycle dates: every step up to the status is dated, in order, none after today.
    today = timezone.localdate()
    reached = _reached_steps(unit)
    previous = None
    for step in LIFECYCLE:
        field = STATUS_DATE_FIELD[step]
        value = getattr(unit, field)
        if step in reached:
            if value is None and step != UnitStatus.PLANNED:
                add(field, _("This date is required for the unit's status."))
                continue
            if value is not None and previous is not None and value < previous:
                add(field, _("Lifecycle dates must not go backwards."))
            if value is not None and step != UnitStatus.PLANNED and value > today:
                add(field, _("This date is in the future."))
            previous = value or previous
        elif value is not None:
            add(field, _("The unit has not reached this step."))
    if unit.status == UnitStatus.CLOSED:
        if unit.closed_on is None:
            add("closed_on", _("This date is required for the unit's status."))
        elif previous and unit.closed_on < previous:
            add("closed_on", _("Lifecycle dates must not go backwards."))
    elif unit.closed_on is not None:
        add("closed_on", _("Only a closed unit has a closing date."))
    if errors:
        raise ValidationError(errors)


def _reached_steps(unit: Unit) -> list[str]:
    if unit.status == UnitStatus.CLOSED:
        # A closed unit keeps the steps it had reached before closing.
        return LIFECYCLE[: LIFECYCLE.index(_latest_status(unit)) + 1]
    return LIFECYCLE[: LIFECYCLE.index(unit.status) + 1]


def _latest_status(unit: Unit) -> str:
    for step in reversed(LIFECYCLE):
        if getattr(unit, STATUS_DATE_FIELD[step]):
            return step
    return UnitStatus.PLANNED


@transaction.atomic
def unit_create(*, actor, **data) -> Unit:
    unknown = set(data) - UNIT_FIELDS - {"status", *STATUS_DATE_FIELD.values()}
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    unit = Unit(**data)
    if unit.division_id:
        ensure_in_scope(actor, unit.division_id)
    if "status" not in data:
        unit.status = _latest_status(unit)
    validate_unit(unit)
    save_with_history(unit, actor=actor)
    for step in [*LIFECYCLE, UnitStatus.CLOSED]:
        day = getattr(unit, STATUS_DATE_FIELD[step])
        if day:
            UnitStatusChange.objects.create(
                unit=unit,
                status=step,
                effective_on=day,
                recorded_by=_user(actor),
                note="",
            )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, actor, **data) -> list[str]:
    return model_update(unit, data, allowed=EDITABLE_FIELDS, actor=actor, validate=validate_unit)


def allowed_transitions(unit: Unit) -> list[str]:
    if unit.status == UnitStatus.CLOSED:
        return []
    index = LIFECYCLE.index(unit.status)
    nxt = LIFECYCLE[index + 1 : index + 2]
    return [*nxt, UnitStatus.CLOSED]


@transaction.atomic
def unit_transition(
    *, unit: Unit, to_status: str, effective_on: datetime.date, actor, note: str = ""
) -> Unit:
    """Move a unit one step along planned → established → operating → demonstration,
    or close it. Dates may not go backwards or lie in the future."""
    # Compare-and-set: refused if another transition moved it since the caller read it.
    unit = step_locked(unit, "status")
    if to_status not in allowed_transitions(unit):
        raise ValidationError(
            {
                "status": _("A unit that is %(current)s cannot become %(target)s.")
                % {
                    "current": unit.get_status_display(),
                    "target": dict(UnitStatus.choices).get(to_status, to_status),
                }
            }
        )
    last = max(
        (
            getattr(unit, STATUS_DATE_FIELD[s])
            for s in LIFECYCLE
            if getattr(unit, STATUS_DATE_FIELD[s])
        ),
        default=None,
    )
    if last and effective_on < last:
        raise ValidationError(
            {"effective_on": _("The date must not be before the previous step (%s).") % last}
        )
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("This date is in the future.")})
    field = STATUS_DATE_FIELD[to_status]
    setattr(unit, field, effective_on)
    unit.status = to_status
    validate_unit(unit)
    save_with_history(unit, actor=actor)
    UnitStatusChange.objects.create(
        unit=unit,
        status=to_status,
        effective_on=effective_on,
        note=note,
        recorded_by=_user(actor),
    )
    return unit


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# What an agency's record holds, in display order (the API's and the pages' fields).
AGENCY_FIELDS = [
    "name",
    "credit_code",
    "registration_authority",
    "registered_on",
    "qualifications",
    "address",
    "contact_person",
    "contact_phone",
]


def validate_agency(agency: Agency) -> None:
    """The agency's own rules, keyed on the field at fault: the unified social credit code
    (GB 32100, normalised in place) and that no other agency holds it."""
    if not agency.credit_code:
        agency.credit_code = ""
        return
    try:
        agency.credit_code = validate_credit_code(agency.credit_code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from exc
    holder = Agency.objects.filter(credit_code=agency.credit_code).exclude(pk=agency.pk).first()
    if holder is not None:
        raise ValidationError(
            {"credit_code": [_("%(agency)s holds this code already.") % {"agency": holder.name}]}
        )


def _ensure_agency_editor(actor) -> None:
    if actor is not None and not can_edit_network(actor):
        raise PermissionDenied(_("The district registers agencies."))


def _agency_data(data) -> dict:
    refuse_unknown(data, AGENCY_FIELDS)
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


@transaction.atomic
def agency_create(*, actor, **data) -> Agency:
    """Register an agency from the fields of ``AGENCY_FIELDS`` (a name at least)."""
    _ensure_agency_editor(actor)
    agency = Agency(**_agency_data(data))
    return save_with_history(agency, actor=actor)  # full_clean runs validate_agency


@transaction.atomic
def agency_update(*, agency: Agency, actor, **data) -> Agency:
    """Change the fields ``data`` names."""
    _ensure_agency_editor(actor)
    data = _agency_data(data)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    for name, value in data.items():
        setattr(agency, name, value)
    return save_with_history(agency, actor=actor)  # full_clean runs validate_agency
