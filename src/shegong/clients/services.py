"""Writes to the client register. Sensitive fields are encrypted by the model field; here
the ID number is validated, its facts derived, and duplicates refused by keyed hash."""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pypinyin import Style, lazy_pinyin

from shegong.access.scoping import CLIENT_WORKER_ROLES, ensure_in_scope, has_role, in_scope
from shegong.audit.models import AccessLog
from shegong.common.crypto import lookup_hash
from shegong.common.idcard import IdNumber, normalize, parse_id_number
from shegong.common.services import model_update, save_with_history
from shegong.divisions.models import Level
from shegong.notifications.crisis import crisis_words_in
from shegong.notifications.models import Kind as NotificationKind
from shegong.notifications.recipients import station_supervisors
from shegong.notifications.services import Message, notify
from shegong.notifications.text import mask_name

from .models import (
    GUARDIANS,
    AlertReview,
    Client,
    Consent,
    ConsentRelation,
    HouseholdMember,
    Membership,
    RiskAlert,
    RiskTier,
)
from .schedule import refresh_due

# What a client write accepts, in the order forms and the API show them.
CLIENT_FIELDS = [
    "name",
    "division",
    "address",
    "id_number",
    "id_missing_reason",
    "phone",
    "living_situation",
    "disability_category",
    "disability_grade",
    "health_notes",
    "risk_tier",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
]
REVEAL_ROLES = CLIENT_WORKER_ROLES


def name_initials(name: str) -> str:
    """Pinyin initials, so that ``zsf`` finds 张三丰."""
    return "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def clean_name(name: str) -> str:
    """The name as stored: trimmed, required, within the column's length."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    try:
        MaxLengthValidator(Client._meta.get_field("name").max_length)(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from exc
    return name


def clean_id_number(value: str) -> IdNumber:
    """A valid GB 11643 number's facts, or a ValidationError on ``id_number``."""
    try:
        return parse_id_number(normalize(value or ""))
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc


def check_village(division, code: str = "") -> None:
    """A client lives in an active village or community. ``code`` is what was typed, for
    the message when no division has it."""
    if division is None:
        if code:
            raise ValidationError({"division": [_("%s is not a division code.") % code]})
        raise ValidationError({"division": [_("A client must live in a village or community.")]})
    if division.level != Level.VILLAGE or not division.is_active:
        raise ValidationError({"division": [_("Choose a village or community (12-digit code).")]})


class DuplicateElsewhere(ValidationError):
    """A second record of a person registered outside the user's area: refused with a
    message that names no person, unit or place, and written to the access log (the
    refusal tells the user the number is registered; ``log_probe`` records that)."""

    def __init__(self, existing: Client):
        message = _(
            "This ID number is already registered. Ask your station or the centre to check it."
        )
        super().__init__({"id_number": [message]})
        self.existing = existing


def duplicate_error(existing: Client, actor) -> ValidationError:
    """The refusal of a second record of one person; names the person only to those who may
    see the first record."""
    if actor is None or in_scope(actor, existing.division_id):
        message = _("This person is already registered: %(name)s (no. %(id)s).") % {
            "name": existing.name,
            "id": existing.pk,
        }
        return ValidationError({"id_number": [message]})
    return DuplicateElsewhere(existing)


def log_probe(*, actor, existing: Client, via: str) -> None:
    """The access-log row of an ID number found registered outside ``actor``'s area
    (``via``: where it was typed). Written outside the refused write's transaction, so
    the refusal does not roll it back."""
    if actor is None or not getattr(actor, "pk", None):
        return
    AccessLog.objects.create(
        user=actor,
        action=AccessLog.Action.LOOKUP,
        object_type="client",
        object_id=str(existing.pk),
        fields="id_number",
        reason=str(via)[:200],
        division_code=existing.division_id,
    )


def logs_probes(via: str):
    """Wrap a write whose refusal may be a ``DuplicateElsewhere``: log it, then refuse."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, actor, **kwargs):
            try:
                return service(*args, actor=actor, **kwargs)
            except DuplicateElsewhere as exc:
                log_probe(actor=actor, existing=exc.existing, via=via)
                raise

        return wrapper

    return decorate


def fill_derived(client: Client, parsed: IdNumber | None) -> None:
    """The columns derived from what was typed: pinyin initials, the ID number's facts and
    the keyed hashes used for exact look-up."""
    client.name_initials = name_initials(client.name)
    if parsed is not None:
        client.id_number = parsed.number
        client.birth_date, client.sex = parsed.birth_date, parsed.sex
        client.id_number_hash = lookup_hash(parsed.number)
    else:
        client.id_number = None
        client.id_number_hash = None
    client.phone_hash = lookup_hash(client.phone.strip()) if client.phone else ""


def _apply_identity(client: Client, actor) -> None:
    """Validate the ID number (or the reason for its absence), derive birth date and sex,
    and refuse a second record of the same person."""
    parsed = clean_id_number(client.id_number) if normalize(client.id_number or "") else None
    fill_derived(client, parsed)
    if parsed is not None:
        existing = (
            Client.objects.filter(id_number_hash=client.id_number_hash)
            .exclude(pk=client.pk)
            .first()
        )
        if existing is not None:
            raise duplicate_error(existing, actor)
    elif not client.id_missing_reason.strip():
        raise ValidationError(
            {"id_missing_reason": [_("Give the ID number, or say why there is none.")]}
        )


def _validate(client: Client, actor) -> None:
    check_village(client.division if client.division_id else None)
    ensure_in_scope(actor, client.division_id)
    client.name = clean_name(client.name)
    _apply_identity(client, actor)


@logs_probes(_lazy("registering a client: ID number registered elsewhere"))
@transaction.atomic
def client_create(*, actor, groups=(), **data) -> Client:
    unknown = set(data) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown client fields: {sorted(unknown)}")
    client = Client(**data)
    _validate(client, actor)
    save_with_history(client, actor=actor)
    for group in groups:
        Membership.objects.create(client=client, group=group)
    refresh_due(client)
    if client.risk_tier == RiskTier.HIGH:
        risk_alert_raise(client=client, actor=actor, reason=_("registered as high risk"))
    return client


@logs_probes(_lazy("editing a client: ID number registered elsewhere"))
@transaction.atomic
def client_update(*, client: Client, actor, **data) -> list[str]:
    changed = model_update(
        client,
        data,
        allowed=CLIENT_FIELDS,
        actor=actor,
        validate=lambda c: _validate(c, actor),
    )
    if "risk_tier" in changed:
        refresh_due(client)
        if client.risk_tier == RiskTier.HIGH:
            risk_alert_raise(client=client, actor=actor, reason=_("marked high risk"))
    return changed


def can_reveal(user) -> bool:
    return has_role(user, *REVEAL_ROLES)


@transaction.atomic
def client_reveal(*, client: Client, field: str, reason: str, actor) -> str:
    """The clear value of one sensitive field, written to the access log first."""
    if not can_reveal(actor):
        raise PermissionDenied(_("Your role may not reveal sensitive information."))
    if field not in Client.SENSITIVE_FIELDS:
        raise ValidationError({"field": [_("This field is not sensitive.")]})
    if len((reason or "").strip()) < 2:
        raise ValidationError({"reason": [_("Say why you need to see it.")]})
    AccessLog.objects.create(
        user=actor,
        action=AccessLog.Action.REVEAL,
        object_type="client",
        object_id=str(client.pk),
        fields=field,
        reason=reason.strip(),
        division_code=client.division_id,
    )
    return getattr(client, field) or ""


def risk_alert_raise(*, client: Client, actor, reason: str) -> RiskAlert | None:
    """Open an alert for a high-risk client unless one is already open."""
    if RiskAlert.objects.open().filter(client=client).exists():
        return None
    return RiskAlert.objects.create(
        client=client, reason=reason, raised_by=actor if getattr(actor, "pk", None) else None
    )


def crisis_alert_check(*, clients, actor, text: str, source: str) -> list[RiskAlert]:
    """Crisis words (issue 10 item 11): if ``text`` (a visit's findings, a service
    record's notes) affirms a word of the reviewed lexicon, raise an alert for the station
    supervisor to confirm or dismiss, and notify them — in the caller's transaction, so the
    record and its alert are written together. ``source`` says where (shown, not the text)."""
    words = crisis_words_in(text)
    if not words:
        return []
    listed = "、".join(words)[:100]
    return [_crisis_alert(client, actor, listed, source) for client in clients]


def _crisis_alert(client, actor, listed, source):
    alert = RiskAlert.objects.create(
        client=client,
        reason=(_("Crisis words in %(source)s: %(words)s") % {"source": source, "words": listed})[
            :200
        ],
        raised_by=actor if getattr(actor, "pk", None) else None,
        crisis_words=listed,
        review=AlertReview.PENDING,
    )
    users, station_id = station_supervisors(client.division_id)
    notify(
        Message(
            kind=NotificationKind.CRISIS,
            key=f"crisis-alert:{alert.pk}",
            title=_("Crisis words to review: %(name)s") % {"name": mask_name(client.name)},
            body=_("%(source)s mentions %(words)s. Confirm or dismiss the alert.")
            % {"source": source, "words": listed},
            url=reverse("clients:alert-list"),
            users=users,
            unit_id=station_id,
        )
    )
    return alert


def can_review_alert(actor, alert: RiskAlert) -> bool:
    """The station supervisor: station staff over the client's town, or the district."""
    from shegong.access.models import Role

    if not has_role(actor, Role.STATION_STAFF, Role.DISTRICT_ADMIN):
        return False
    return in_scope(actor, alert.client.division_id)


@transaction.atomic
def risk_alert_review(*, alert: RiskAlert, actor, decision: str, note: str = "") -> RiskAlert:
    """Confirm a crisis-word alert (it stays open until the action taken is recorded) or
    dismiss it with a reason (it closes)."""
    from django.utils import timezone

    if not can_review_alert(actor, alert):
        raise PermissionDenied(_("Only the station supervisor reviews this alert."))
    alert = RiskAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.review != AlertReview.PENDING:
        raise ValidationError({"decision": [_("This alert has already been reviewed.")]})
    if decision not in (AlertReview.CONFIRMED, AlertReview.DISMISSED):
        raise ValidationError({"decision": [_("Confirm or dismiss.")]})
    note = (note or "").strip()
    if decision == AlertReview.DISMISSED and len(note) < 4:
        raise ValidationError({"note": [_("Say why the alert is dismissed.")]})
    alert.review, alert.review_note = decision, note[:200]
    alert.reviewed_by, alert.reviewed_at = actor, timezone.now()
    if decision == AlertReview.DISMISSED:
        alert.action_taken = note
        alert.resolved_at, alert.resolved_by = alert.reviewed_at, actor
    return save_with_history(alert, actor=actor)


@transaction.atomic
def risk_alert_resolve(*, alert: RiskAlert, action_taken: str, actor) -> RiskAlert:
    from django.utils import timezone

    if alert.resolved_at is not None:
        raise ValidationError({"action_taken": [_("This alert has already been dealt with.")]})
    if len((action_taken or "").strip()) < 4:
        raise ValidationError({"action_taken": [_("Record what was done.")]})
    alert.action_taken = action_taken.strip()
    alert.resolved_at = timezone.now()
    alert.resolved_by = actor
    return save_with_history(alert, actor=actor)


def is_child(client: Client, today=None) -> bool:
    """Under 14 (PIPL art. 31), by the birth date on record."""
    from django.utils import timezone

    if client.birth_date is None:
        return False
    today = today or timezone.localdate()
    age = (
        today.year
        - client.birth_date.year
        - ((today.month, today.day) < (client.birth_date.month, client.birth_date.day))
    )
    return age < 14


def needs_guardian_consent(client: Client, today=None) -> bool:
    """PIPL art. 31: a child under 14 needs a parent's or guardian's consent on record."""
    return is_child(client, today) and not client.consents.filter(relation__in=GUARDIANS).exists()


@transaction.atomic
def consent_add(*, client: Client, given_by: str, relation: str, purpose: str, given_on, actor):
    """Record a consent. ``relation`` is one of ``ConsentRelation``: for a child under 14
    only a parent or another guardian consents (the child, a relative or an agent cannot)."""
    from django.utils import timezone

    if given_on > timezone.localdate():
        raise ValidationError({"given_on": [_("This date is in the future.")]})
    if relation not in ConsentRelation.values:
        raise ValidationError({"relation": [_("Choose who gave the consent from the list.")]})
    if relation not in GUARDIANS and is_child(client):
        message = _("For a child under 14 only a parent or another guardian can consent.")
        raise ValidationError({"relation": [message]})
    consent = Consent(
        client=client,
        given_by=given_by.strip(),
        relation=relation,
        purpose=purpose.strip(),
        given_on=given_on,
    )
    return save_with_history(consent, actor=actor)


@transaction.atomic
def household_add(*, client: Client, actor, **data) -> HouseholdMember:
    member = HouseholdMember(client=client, **data)
    return save_with_history(member, actor=actor)


MERGE_FILL_FIELDS = (
    "address",
    "phone",
    "living_situation",
    "disability_category",
    "disability_grade",
    "health_notes",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
)


@transaction.atomic
def client_merge(*, keep: Client, drop: Client, actor) -> Client:
    """Merge a duplicate into the record kept. Every row that points at the duplicate (its
    groups, consents, household, alerts, visits, cases, referrals, service records,
    activities and records merged into it: every relation to ``Client``, found from the
    model, so a new one cannot be forgotten) moves to the record kept, each through a save
    that writes a history row naming ``actor``; blank fields are filled from the duplicate,
    which stays (with its history) marked as merged, out of every list. All or nothing.

    Refused when the records carry two ID numbers (two people), or when both have an open
    case: a client has one open case at a time, so one of them is closed first."""
    if keep.pk == drop.pk or drop.merged_into_id or keep.merged_into_id:
        raise ValidationError({"drop": [_("These records cannot be merged.")]})
    for client in (keep, drop):
        ensure_in_scope(actor, client.division_id, field="drop")
    # Both rows locked for the merge: nothing moves onto the duplicate meanwhile.
    list(Client.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk]))
    if keep.id_number_hash and drop.id_number_hash:
        message = _("Both records have an ID number; they are different people.")
        raise ValidationError({"drop": [message]})
    # Cases live in an app above this one: reached through the reverse relation.
    if keep.cases.open().exists() and drop.cases.open().exists():
        message = _("Both records have an open case; close one of them before merging.")
        raise ValidationError({"drop": [message]})
    moved_id = drop.id_number if not keep.id_number_hash else None
    drop.id_number, drop.id_number_hash = None, None
    drop.merged_into = keep
    drop._history_user = actor
    drop._change_reason = f"merged into client {keep.pk}"
    drop.save(update_fields=["id_number", "id_number_hash", "merged_into"])
    move_related(drop=drop, keep=keep, actor=actor)
    for name in MERGE_FILL_FIELDS:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    if moved_id:
        keep.id_number = moved_id
    keep.last_visited_on = max(
        (d for d in (keep.last_visited_on, drop.last_visited_on) if d), default=None
    )
    _validate(keep, actor)
    keep._change_reason = f"client {drop.pk} merged into this record"
    save_with_history(keep, actor=actor)
    refresh_due(keep)
    return keep


def move_related(*, drop: Client, keep: Client, actor) -> None:
    """Point every row related to ``drop`` at ``keep``, one locked row at a time, each saved
    with a history row naming ``actor`` and the merge (no queryset ``update``: it writes no
    history). A many-to-many link (an activity's members, a service record's clients) is
    moved on its owner, which is saved for the history row."""
    reason = f"client {drop.pk} merged into client {keep.pk}"
    for relation in Client._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        rows = model._base_manager.select_for_update().filter(**{name: drop})
        for row in rows.order_by("pk"):
            row._history_user = actor
            row._change_reason = reason
            if relation.many_to_many:
                links = getattr(row, name)
                links.remove(drop)
                links.add(keep)
                row.save()
            else:
                setattr(row, name, keep)
                row.save(update_fields=[name])
