"""Writing service records and their attachments."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import ensure_in_scope
from shegong.clients.services import crisis_alert_check
from shegong.common import uploads
from shegong.common.services import save_with_history
from shegong.divisions.codes import covers

from .models import Attachment, Method, ServiceRecord

# What ``service_record_create`` takes (an activity's sessions set ``activity``).
RECORD_FIELDS = [
    "unit",
    "served_on",
    "duration_minutes",
    "method",
    "field",
    "items",
    "clients",
    "other_participants",
    "workers",
    "case",
    "activity",
    "project",
    "notes",
    "outcome",
]


@transaction.atomic
def service_record_create(
    *,
    actor,
    unit,
    served_on,
    duration_minutes,
    method,
    field,
    items=(),
    clients=(),
    other_participants=0,
    workers=(),
    notes="",
    outcome="",
    case=None,
    activity=None,
    project=None,
) -> ServiceRecord:
    errors: dict[str, list[str]] = {}
    ensure_in_scope(actor, unit.division_id, field="unit")
    if served_on > timezone.localdate():
        errors["served_on"] = [_("This date is in the future.")]
    if not 1 <= duration_minutes <= 24 * 60:
        errors["duration_minutes"] = [_("Between 1 minute and 24 hours.")]
    if method not in Method.values:
        errors["method"] = [_("Unknown method.")]
    if any(item.field_id != field.pk for item in items):
        errors["items"] = [_("Choose items of the chosen service field.")]
    outside = [c.name for c in clients if not covers(unit.division_id, c.division_id)]
    if outside:
        errors["clients"] = [_("Not in this unit's area: %s") % "、".join(outside)]
    if not clients and not other_participants:
        errors["clients"] = errors.get("clients", []) + [
            _("Name the clients served, or give the number of participants.")
        ]
    if case is not None:
        if not case.is_open or case.stage == "closing":
            errors["case"] = [_("This case is closed or closing; it takes no more services.")]
        elif case.client_id not in {c.pk for c in clients}:
            errors["case"] = [_("Include the case's client among the clients served.")]
        elif served_on < case.opened_on:
            errors["served_on"] = [_("This date is before the case was opened.")]
    if project is not None:
        problem = project_link_problem(project, unit, served_on)
        if problem:
            errors["project"] = [problem]
    if errors:
        raise ValidationError(errors)
    record = ServiceRecord(
        project=project,
        case=case,
        activity=activity,
        unit=unit,
        served_on=served_on,
        duration_minutes=duration_minutes,
        method=method,
        field=field,
        other_participants=other_participants,
        notes=notes,
        outcome=outcome,
        created_by=actor,
    )
    save_with_history(record, actor=actor)
    record.items.set(items)
    record.clients.set(clients)
    record.workers.set(workers)
    crisis_alert_check(clients=clients, actor=actor, text=notes, source=_("a service record"))
    return record


def project_link_problem(project, unit, served_on) -> str:
    """Why a service cannot count for a funding project, or "" if it can: the project is
    under contract, covers the unit (or the unit above it), and the day is in its period."""
    if project.stage != "contracted":
        return _("This project is not under contract.")
    covered = [u.division_id for u in project.units.all()]
    if not any(covers(code, unit.division_id) for code in covered):
        return _("The project does not cover this unit.")
    if not project.start_on <= served_on <= project.end_on:
        return _("The date is outside the project's service period.")
    return ""


def check_upload(upload) -> None:
    """Type by extension and by content, and size: a record holds photos and signed forms
    (the one checked-upload path, ``common.uploads``)."""
    uploads.check_upload(upload, field="file")


@transaction.atomic
def attachment_add(*, record: ServiceRecord, upload, kind, actor) -> Attachment:
    check_upload(upload)
    attachment = Attachment(
        record=record, file=upload, kind=kind, size=upload.size, uploaded_by=actor
    )
    attachment.full_clean()
    attachment.save()  # the file goes through Django's storage API
    return attachment


# What a correction may change (the unit, the activity and the case stay: a record in the
# wrong unit or case is voided and recorded again).
CORRECTABLE_FIELDS = [
    "served_on",
    "duration_minutes",
    "method",
    "field",
    "items",
    "clients",
    "other_participants",
    "workers",
    "notes",
    "outcome",
]


def _record_division(record: ServiceRecord) -> str:
    return record.unit.division_id


@transaction.atomic
def service_record_correct(*, record: ServiceRecord, actor, **data) -> ServiceRecord:
    """Correct a service record: its author within ``SHEGONG_CORRECTION_DAYS`` of
    recording it, the station of its town after that (``visits.services.ensure_may_correct``).
    The record keeps its id; the history keeps what it said before."""
    from shegong.common.services import locked, refuse_unknown
    from shegong.visits.services import ensure_may_correct

    refuse_unknown(data, CORRECTABLE_FIELDS)
    current = locked(record)
    if current.voided_at is not None:
        raise ValidationError({"void_reason": [_("This record has been voided.")]})
    ensure_may_correct(
        actor,
        author_id=current.created_by_id,
        recorded_at=current.created_at,
        division_code=_record_division(current),
    )
    merged = {
        "served_on": current.served_on,
        "duration_minutes": current.duration_minutes,
        "method": current.method,
        "field": current.field,
        "items": list(current.items.all()),
        "clients": list(current.clients.all()),
        "other_participants": current.other_participants,
        "workers": list(current.workers.all()),
        "notes": current.notes,
        "outcome": current.outcome,
        **data,
    }
    errors: dict[str, list[str]] = {}
    if merged["served_on"] > timezone.localdate():
        errors["served_on"] = [_("This date is in the future.")]
    if not 1 <= merged["duration_minutes"] <= 24 * 60:
        errors["duration_minutes"] = [_("Between 1 minute and 24 hours.")]
    if merged["method"] not in Method.values:
        errors["method"] = [_("Unknown method.")]
    if any(item.field_id != merged["field"].pk for item in merged["items"]):
        errors["items"] = [_("Choose items of the chosen service field.")]
    unit = current.unit
    outside = [c.name for c in merged["clients"] if not covers(unit.division_id, c.division_id)]
    if outside:
        errors["clients"] = [_("Not in this unit's area: %s") % "、".join(outside)]
    if not merged["clients"] and not merged["other_participants"]:
        errors.setdefault("clients", []).append(
            _("Name the clients served, or give the number of participants.")
        )
    if current.case_id and current.case.client_id not in {c.pk for c in merged["clients"]}:
        errors["clients"] = [_("Include the case's client among the clients served.")]
    if current.project_id:
        problem = project_link_problem(current.project, unit, merged["served_on"])
        if problem:
            errors["served_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    for name in (
        "served_on",
        "duration_minutes",
        "method",
        "field",
        "other_participants",
        "notes",
        "outcome",
    ):
        setattr(current, name, merged[name])
    current._change_reason = "corrected"
    save_with_history(current, actor=actor)
    current.items.set(merged["items"])
    current.clients.set(merged["clients"])
    current.workers.set(merged["workers"])
    if "notes" in data:  # crisis words in corrected notes (issue 10 item 11)
        crisis_alert_check(
            clients=merged["clients"], actor=actor, text=current.notes, source=_("a service record")
        )
    return current


@transaction.atomic
def service_record_void(*, record: ServiceRecord, actor, reason: str) -> ServiceRecord:
    """Void a service record (who may: as for a correction). It stays, with its history and
    the reason, but counts nowhere: the ledger, a project's indicators, an activity's
    sessions and every other count read the default manager, which leaves it out."""
    from shegong.common.services import locked
    from shegong.visits.services import ensure_may_correct

    current = locked(record)
    if current.voided_at is not None:
        raise ValidationError({"reason": [_("This record has already been voided.")]})
    ensure_may_correct(
        actor,
        author_id=current.created_by_id,
        recorded_at=current.created_at,
        division_code=_record_division(current),
    )
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("Say why this record is voided.")]})
    current.voided_at = timezone.now()
    current.voided_by = actor
    current.void_reason = reason
    current._change_reason = "voided"
    save_with_history(current, actor=actor)
    return current
