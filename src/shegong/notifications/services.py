"""Sending notifications: in-app rows in the caller's transaction, channel deliveries
queued with them and sent after commit by the worker, each retried with backoff.

A channel that fails (refused connection, HTTP 500, SMTP error) fails only its own
delivery: the error is logged on the delivery (never the webhook address or secret), the
next attempt is scheduled, and nothing is raised to the caller or to other channels."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role
from shegong.access.scoping import ensure_in_scope, has_role

from .channels import BACKENDS, DeliveryError
from .models import (
    Channel,
    ChannelKind,
    CrisisWord,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
)
from .text import scrub

log = logging.getLogger(__name__)

# Minutes before each retry: 1, 5, 30, 120 — then the delivery is given up as failed.
DEFAULT_RETRY_MINUTES = (1, 5, 30, 120)
# A delivery claimed by a worker that died is taken again after this long.
CLAIM_MINUTES = 10


def retry_minutes() -> tuple[int, ...]:
    return tuple(getattr(settings, "SHEGONG_NOTIFY_RETRY_MINUTES", DEFAULT_RETRY_MINUTES))


@dataclass
class Message:
    """A message for some accounts and, through its channels, for a unit. ``key`` names
    the subject (``referral-due:12``): one per account, channel and day."""

    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""
    users: list = field(default_factory=list)
    unit_id: int | None = None


def notify(message: Message, *, day: datetime.date | None = None) -> list[Notification]:
    """Write the in-app notifications (skipping any the account already has today) and
    queue one delivery per channel of the message's unit; the deliveries are sent after
    the caller's transaction commits. Returns the notifications created now."""
    day = day or timezone.localdate()
    title, body = scrub(message.title)[:200], scrub(message.body)
    created = []
    for user in {u.pk: u for u in message.users}.values():
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's work alone
            try:
                created.append(
                    Notification.objects.create(
                        user=user,
                        kind=message.kind,
                        key=message.key,
                        day=day,
                        title=title,
                        body=body,
                        url=message.url,
                    )
                )
            except IntegrityError:
                pass  # sent today already
    queued = _queue_deliveries(message, title, body, day) if message.unit_id else 0
    if queued:
        transaction.on_commit(_enqueue_delivery)
    return created


def _queue_deliveries(message: Message, title: str, body: str, day) -> int:
    queued = 0
    now = timezone.now()
    text = body + (f"\n{_absolute(message.url)}" if message.url else "")
    for channel in Channel.objects.filter(unit_id=message.unit_id, is_active=True):
        if not channel.takes(message.kind):
            continue
        recipients = ""
        if message.kind == Kind.DIGEST and channel.kind != ChannelKind.EMAIL:
            continue  # a person's digest is theirs, not the group chat's
        if channel.kind == ChannelKind.EMAIL:
            own = ",".join(u.email for u in message.users if u.email)
            addresses = own if message.kind == Kind.DIGEST else channel.recipients or own
            if not addresses:
                continue
            recipients = addresses
        _, made = Delivery.objects.get_or_create(
            channel=channel,
            key=message.key,
            day=day,
            defaults={
                "kind": message.kind,
                "subject": title,
                "text": text,
                "recipients": recipients,
                "next_attempt_at": now,
            },
        )
        queued += made
    return queued


def _absolute(url: str) -> str:
    base = getattr(settings, "SHEGONG_SITE_URL", "")
    return f"{base.rstrip('/')}{url}" if base and url.startswith("/") else url


def _enqueue_delivery():
    from .tasks import deliver_notifications

    try:
        deliver_notifications.enqueue()
    except Exception:  # the queue being down must not fail a saved visit
        log.exception("could not queue notification deliveries")


def deliver_due(now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send every delivery whose time has come, one at a time, each claimed first so two
    workers never send it twice. Returns counts by outcome."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")[:limit]
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for delivery in list(due.select_related("channel")):
        claimed = Delivery.objects.filter(
            pk=delivery.pk, status=delivery.status, attempts=delivery.attempts
        ).update(
            status=DeliveryStatus.SENDING,
            next_attempt_at=now + datetime.timedelta(minutes=CLAIM_MINUTES),
        )
        if claimed:
            counts[_attempt(delivery, now)] += 1
    return counts


def _attempt(delivery: Delivery, now) -> str:
    delivery.attempts += 1
    try:
        BACKENDS[delivery.channel.kind](delivery.channel, delivery)
    except DeliveryError as exc:
        error = str(exc)
    except Exception as exc:  # a backend's bug must not stop the other deliveries
        error = type(exc).__name__
    else:
        error = ""
    if not error:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = (
            DeliveryStatus.SENT,
            timezone.now(),
            None,
        )
        delivery.last_error = ""
        outcome = "sent"
    else:
        delivery.last_error = error[:300]
        delays = retry_minutes()
        if delivery.attempts <= len(delays):
            delivery.status = DeliveryStatus.PENDING
            delay = datetime.timedelta(minutes=delays[delivery.attempts - 1])
            delivery.next_attempt_at = now + delay
            outcome = "retry"
        else:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            outcome = "failed"
        # The channel's id and the error only: no address, no secret, no message text.
        log.warning(
            "notification delivery %s via channel %s: %s (attempt %s)",
            delivery.pk,
            delivery.channel_id,
            delivery.last_error,
            delivery.attempts,
        )
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "sent_at"])
    return outcome


# In-app notification centre.


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.user_id != actor.pk:
        raise PermissionDenied(_("This is not your notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Channels: configured per unit by the district administrator (or a station's staff for
# their own station's area).


def _is_email(value: str) -> bool:
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def can_manage_channels(user) -> bool:
    return has_role(user, Role.DISTRICT_ADMIN, Role.STATION_STAFF)


CHANNEL_FIELDS = ("unit", "kind", "name", "recipients", "webhook_url", "secret", "kinds")


@transaction.atomic
def channel_save(*, actor, channel: Channel | None = None, **data) -> Channel:
    """Create or change a channel. An empty webhook address or secret on a change keeps the
    stored one (they are never shown back, so the form leaves them empty)."""
    if not can_manage_channels(actor):
        raise PermissionDenied(_("You may not configure notification channels."))
    unit = data.get("unit") or (channel.unit if channel else None)
    if unit is None:
        raise ValidationError({"unit": [_("Choose a unit.")]})
    ensure_in_scope(actor, unit.division_id, field="unit")
    channel = channel or Channel()
    for name in CHANNEL_FIELDS:
        if name in data:
            value = data[name]
            if name in ("webhook_url", "secret") and not value and channel.pk:
                continue
            setattr(channel, name, value)
    if "is_active" in data:
        channel.is_active = data["is_active"]
    errors = {}
    if channel.kind in (ChannelKind.WECOM, ChannelKind.DINGTALK):
        if not (channel.webhook_url or "").startswith(("https://", "http://")):
            errors["webhook_url"] = [_("Give the robot's webhook address (https://…).")]
    if channel.kind == ChannelKind.WECOM and channel.secret:
        errors["secret"] = [_("WeCom robots are not signed; leave the secret empty.")]
    if channel.kind == ChannelKind.EMAIL and channel.webhook_url:
        errors["webhook_url"] = [_("An e-mail channel has no webhook address.")]
    if channel.recipients:
        bad = [a for a in channel.recipients.split(",") if not _is_email(a.strip())]
        if bad:
            errors["recipients"] = [_("Not an e-mail address: %s") % ", ".join(bad)[:100]]
    bad_kinds = [k for k in channel.kinds or [] if k not in Kind.values]
    if bad_kinds:
        errors["kinds"] = [_("Unknown kind: %s") % ", ".join(map(str, bad_kinds))]
    if errors:
        raise ValidationError(errors)
    channel._history_user = actor
    channel.save()
    return channel


# The crisis-word lexicon: edited by the district administrator, every change in history.


def _ensure_lexicon_editor(actor):
    if not has_role(actor, Role.DISTRICT_ADMIN):
        raise PermissionDenied(_("Only the district administrator edits the crisis words."))


@transaction.atomic
def crisis_word_add(*, actor, word: str, category: str, note: str = "") -> CrisisWord:
    _ensure_lexicon_editor(actor)
    word = (word or "").strip()
    if len(word) < 2 or any(c.isspace() for c in word):
        raise ValidationError({"word": [_("A word of two or more characters, no spaces.")]})
    existing = CrisisWord.objects.select_for_update().filter(word=word).first()
    if existing is not None and existing.is_active:
        raise ValidationError({"word": [_("This word is already in the lexicon.")]})
    entry = existing or CrisisWord(word=word)
    entry.category, entry.note, entry.is_active, entry.changed_by = category, note, True, actor
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def crisis_word_set_active(*, actor, entry: CrisisWord, active: bool) -> CrisisWord:
    _ensure_lexicon_editor(actor)
    entry = CrisisWord.objects.select_for_update().get(pk=entry.pk)
    entry.is_active, entry.changed_by = active, actor
    entry._history_user = actor
    entry.save()
    return entry
