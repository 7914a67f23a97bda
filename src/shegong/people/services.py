"""Writes to the worker register: people, their certificates and their postings."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import ensure_in_scope
from shegong.common.services import model_update, refuse_unknown, save_with_history

from .models import Assignment, Certificate, Worker, WorkerRole

# What a worker write accepts, in the order forms and the API show them.
WORKER_FIELDS = [
    "name",
    "gender",
    "division",
    "roles",
    "employment",
    "employer_agency",
    "employer_name",
    "is_active",
]


def validate_worker(worker: Worker) -> None:
    errors = {}
    unknown = set(worker.roles or []) - set(WorkerRole.values)
    if unknown:
        errors["roles"] = [_("Unknown role: %s") % ", ".join(sorted(unknown))]
    if not worker.employer_agency_id and not (worker.employer_name or "").strip():
        errors["employer_name"] = [_("Give the employing agency or the employer's name.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def worker_create(*, actor, **data) -> Worker:
    unknown = set(data) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown worker fields: {sorted(unknown)}")
    worker = Worker(**data)
    worker.roles = sorted(set(worker.roles or []))
    if worker.division_id:
        ensure_in_scope(actor, worker.division_id)
    validate_worker(worker)
    return save_with_history(worker, actor=actor)


@transaction.atomic
def worker_update(*, worker: Worker, actor, **data) -> list[str]:
    refuse_unknown(data, WORKER_FIELDS)
    if "roles" in data:
        data["roles"] = sorted(set(data["roles"] or []))
    if "division" in data and data["division"] is not None:
        ensure_in_scope(actor, data["division"].code)
    return model_update(worker, data, allowed=WORKER_FIELDS, actor=actor, validate=validate_worker)


@transaction.atomic
def certificate_add(*, worker: Worker, tier: str, number: str, year: int, actor) -> Certificate:
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("This year is in the future.")})
    cert = Certificate(worker=worker, tier=tier, number=number.strip(), year=year)
    return save_with_history(cert, actor=actor)


@transaction.atomic
def assignment_add(
    *, worker: Worker, unit, start_on: datetime.date, actor, end_on=None, note: str = ""
) -> Assignment:
    ensure_in_scope(actor, unit.division_id, field="unit")
    if unit.closed_on is not None:
        raise ValidationError({"unit": _("This unit is closed.")})
    if end_on is not None and end_on < start_on:
        raise ValidationError({"end_on": _("The end date is before the start date.")})
    overlapping = Assignment.objects.filter(worker=worker, unit=unit).exclude(end_on__lt=start_on)
    if end_on is not None:
        overlapping = overlapping.filter(start_on__lte=end_on)
    if overlapping.exists():
        raise ValidationError(
            {"start_on": _("The worker is already posted to this unit in that period.")}
        )
    assignment = Assignment(worker=worker, unit=unit, start_on=start_on, end_on=end_on, note=note)
    return save_with_history(assignment, actor=actor)


@transaction.atomic
def assignment_end(*, assignment: Assignment, end_on: datetime.date, actor) -> Assignment:
    # The posting's unit must be the actor's too, not only the worker.
    ensure_in_scope(actor, assignment.unit.division_id, field="assignment")
    if end_on < assignment.start_on:
        raise ValidationError({"end_on": _("The end date is before the start date.")})
    assignment.end_on = end_on
    return save_with_history(assignment, actor=actor)
