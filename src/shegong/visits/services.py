"""Home visits (R2.11, R3.2, R3.3): recording them (with the workers who went and the
evidence from the field), correcting and voiding them, and keeping each client's next due
date."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role
from shegong.access.scoping import grants_of
from shegong.clients.schedule import refresh_due
from shegong.clients.services import crisis_alert_check
from shegong.common import uploads
from shegong.common.services import locked, refuse_unknown, save_with_history
from shegong.divisions.codes import covers

from .models import Visit, VisitPhoto

MAX_PHOTOS = 6


def correction_days() -> int:
    return int(getattr(settings, "SHEGONG_CORRECTION_DAYS", 7))


def is_station_of(user, division_code: str) -> bool:
    """Station head / social worker of the station whose town covers ``division_code``."""
    return any(
        g.role == Role.STATION_STAFF and g.unit_id and covers(g.unit.division_id, division_code)
        for g in grants_of(user)
    )


def correction_refusal(user, *, author_id, recorded_at, division_code, now=None) -> str:
    """Why ``user`` may not correct or void a record, or "" if they may: its author within
    ``SHEGONG_CORRECTION_DAYS`` of recording it, the station of the client's town after."""
    now = now or timezone.now()
    within = now - recorded_at <= datetime.timedelta(days=correction_days())
    if within:
        if user.pk == author_id:
            return ""
        return _(
            "Within %(days)s days of recording, only its author corrects or voids a record."
        ) % {"days": correction_days()}
    if is_station_of(user, division_code):
        return ""
    return _(
        "After %(days)s days, the station of the client's town corrects or voids a record."
    ) % {"days": correction_days()}


def ensure_may_correct(user, *, author_id, recorded_at, division_code) -> None:
    refusal = correction_refusal(
        user, author_id=author_id, recorded_at=recorded_at, division_code=division_code
    )
    if refusal:
        raise PermissionDenied(refusal)


def _check_visit(client, visited_on) -> None:
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("This date is in the future.")]})
    if client.birth_date and visited_on < client.birth_date:
        raise ValidationError({"visited_on": [_("This date is before the client was born.")]})


def _check_location(latitude, longitude, accuracy) -> dict:
    given = [v for v in (latitude, longitude) if v not in (None, "")]
    if not given:
        return {"latitude": None, "longitude": None, "location_accuracy": None}
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
        acc = None if accuracy in (None, "") else int(round(float(accuracy)))
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValidationError({"latitude": [_("The location could not be read.")]}) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (acc is not None and acc < 0):
        raise ValidationError({"latitude": [_("The location could not be read.")]})
    return {
        "latitude": lat.quantize(Decimal("0.000001")),
        "longitude": lon.quantize(Decimal("0.000001")),
        "location_accuracy": acc,
    }


def default_workers(actor):
    """The worker linked to the recording account, if there is one."""
    from shegong.people.models import Worker

    worker = Worker.objects.filter(account=actor, is_active=True).first()
    return [worker] if worker else []


@transaction.atomic
def visit_record(
    *,
    client,
    actor,
    visited_on,
    mode,
    findings="",
    needs="",
    risk_change="",
    follow_up="",
    workers=None,
    photos=(),
    signature=None,
    record_location=False,
    latitude=None,
    longitude=None,
    location_accuracy=None,
) -> Visit:
    """Record a visit: ``workers`` who went (by default the recording account's worker),
    ``photos`` (uploads, resized and stripped of EXIF location unless ``record_location``)
    and a ``signature`` (a PNG upload), all checked before anything is written."""
    _check_visit(client, visited_on)
    workers = list(default_workers(actor) if workers is None else workers)
    outside = [w.name for w in workers if not covers(w.division_id[:6], client.division_id)]
    if outside:
        raise ValidationError(
            {"workers": [_("Not a worker of this district: %s") % "、".join(outside)]}
        )
    location = (
        _check_location(latitude, longitude, location_accuracy)
        if record_location
        else {"latitude": None, "longitude": None, "location_accuracy": None}
    )
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]})
    # Every file checked (and re-encoded) before the visit is written: all or nothing.
    files = [
        (
            VisitPhoto.Kind.PHOTO,
            *uploads.processed_image(p, field="photos", keep_location=record_location),
        )
        for p in photos
    ]
    if signature is not None:
        files.append(
            (VisitPhoto.Kind.SIGNATURE, *uploads.processed_image(signature, field="signature"))
        )
    visit = Visit(
        client=client,
        visitor=actor,
        **location,
        visited_on=visited_on,
        mode=mode,
        findings=findings,
        needs=needs,
        risk_change=risk_change,
        follow_up=follow_up,
    )
    save_with_history(visit, actor=actor)
    visit.workers.set(workers)
    for kind, photo, thumbnail in files:
        VisitPhoto.objects.create(
            visit=visit,
            kind=kind,
            file=photo,
            thumbnail=thumbnail,
            size=photo.size,
            uploaded_by=actor,
        )
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


def refresh_last_visit(client) -> None:
    """The client's last visit date from the visits that count (voided ones do not), and
    the next due date from it."""
    last = (
        Visit.objects.filter(client=client)
        .order_by("-visited_on")
        .values_list("visited_on", flat=True)
        .first()
    )
    client.last_visited_on = last
    type(client).objects.filter(pk=client.pk).update(last_visited_on=last)
    refresh_due(client)


CORRECTABLE_FIELDS = ["visited_on", "mode", "findings", "needs", "follow_up", "workers"]


@transaction.atomic
def visit_correct(*, visit: Visit, actor, **data) -> Visit:
    """Correct a visit (who may: ``correction_refusal``). The visit keeps its id; its
    history keeps what it said before. A changed date moves the client's due date."""
    refuse_unknown(data, CORRECTABLE_FIELDS)
    current = locked(visit)
    if current.voided_at is not None:
        raise ValidationError({"void_reason": [_("This visit has been voided.")]})
    ensure_may_correct(
        actor,
        author_id=current.visitor_id,
        recorded_at=current.recorded_at,
        division_code=current.client.division_id,
    )
    workers = data.pop("workers", None)
    if "visited_on" in data:
        _check_visit(current.client, data["visited_on"])
    for name, value in data.items():
        setattr(current, name, value)
    current._change_reason = "corrected"
    save_with_history(current, actor=actor)
    if workers is not None:
        current.workers.set(workers)
    if {"findings", "needs"} & set(data):  # crisis words in corrected text (issue 10 item 11)
        text = f"{current.findings}\n{current.needs}"
        crisis_alert_check(
            clients=[current.client], actor=actor, text=text, source=_("a home visit")
        )
    refresh_last_visit(current.client)
    return current


@transaction.atomic
def visit_void(*, visit: Visit, actor, reason: str) -> Visit:
    """Void a visit (who may: ``correction_refusal``): it stays, with its history and the
    reason, but counts nowhere; the client's last visit and due date are worked out again
    from the visits that count."""
    current = locked(visit)
    if current.voided_at is not None:
        raise ValidationError({"reason": [_("This visit has already been voided.")]})
    ensure_may_correct(
        actor,
        author_id=current.visitor_id,
        recorded_at=current.recorded_at,
        division_code=current.client.division_id,
    )
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("Say why this visit is voided.")]})
    current.voided_at = timezone.now()
    current.voided_by = actor
    current.void_reason = reason
    current._change_reason = "voided"
    save_with_history(current, actor=actor)
    refresh_last_visit(current.client)
    return current
