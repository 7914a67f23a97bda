"""Writing service records and their attachments."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import ensure_in_scope
from shegong.clients.services import crisis_alert_check
from shegong.common.services import save_with_history
from shegong.divisions.codes import covers

from .models import Attachment, Method, ServiceRecord

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
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

# File signatures: the extension alone is not trusted.
SIGNATURES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF-",),
}


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
    """Type by extension and by content, and size: a record holds photos and signed forms."""
    name = upload.name.lower()
    ext = next((e for e in SIGNATURES if name.endswith(e)), None)
    if ext is None:
        raise ValidationError({"file": [_("Upload a JPEG or PNG photo or a PDF.")]})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": [_("The file is larger than 10 MB.")]})
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        raise ValidationError({"file": [_("The file's content does not match its type.")]})


@transaction.atomic
def attachment_add(*, record: ServiceRecord, upload, kind, actor) -> Attachment:
    check_upload(upload)
    attachment = Attachment(
        record=record, file=upload, kind=kind, size=upload.size, uploaded_by=actor
    )
    attachment.full_clean()
    attachment.save()  # the file goes through Django's storage API
    return attachment
