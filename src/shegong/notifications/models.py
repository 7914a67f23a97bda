"""Notifications: what a person sees under the bell, the channels a unit sends through
(e-mail, WeCom and DingTalk group robots), each delivery's log, and the crisis-word lexicon.

This app sits below the domain apps (pyproject's import-linter contract): they may call it
(a crisis word found in a visit notifies the station supervisor in the same transaction),
and it reads none of them. What is due — overdue visits, referral deadlines, closures… —
is computed above them, in ``shegong.reminders``, which hands its messages to this app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.common.crypto import EncryptedTextField
from shegong.common.fields import actor_link, belongs_to, creation_time, link
from shegong.common.models import WithHistory


class Kind(models.TextChoices):
    """What a notification is about (channels may take only some kinds)."""

    OVERDUE_VISIT = "overdue_visit", _("overdue high-risk visits")
    REFERRAL_DUE = "referral_due", _("referral deadline near")
    CLOSURE = "closure", _("closure awaiting approval")
    CASE_REVIEW = "case_review", _("case review due")
    REPORT_DUE = "report_due", _("progress report due")
    CRISIS = "crisis", _("crisis words in a record")
    DIGEST = "digest", _("daily digest")


class Notification(models.Model):
    """One message to one account, shown under the bell until read. At most one per
    account, subject (``key``) and day: a reminder computed again the same day is not
    sent again."""

    user = belongs_to(settings.AUTH_USER_MODEL, _("account"), related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("subject key"), max_length=100)
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = creation_time(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "day"], name="one_notification_a_day")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class Channel(models.Model):
    """Where a unit's reminders also go. The webhook address and the signing secret are
    credentials: encrypted at rest under the field key, never shown back, logged or kept
    in the history table."""

    history_division = "unit__division__code"

    unit = link("network.Unit", _("unit"), related_name="channels", on_delete=models.CASCADE)
    kind = models.CharField(_("channel"), max_length=16, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    recipients = models.CharField(
        _("e-mail addresses"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated; empty: each notified person's own address."),
    )
    webhook_url = EncryptedTextField(_("webhook address"))
    secret = EncryptedTextField(_("signing secret"))
    kinds = models.JSONField(
        _("kinds"), default=list, blank=True, help_text=_("Empty: every kind.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = creation_time(_("created at"))
    history = HistoricalRecords(excluded_fields=["webhook_url", "secret"])

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self):
        return f"{self.unit} · {self.name}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notifications:channel-detail", args=[self.pk])

    def takes(self, kind: str) -> bool:
        return self.is_active and (not self.kinds or kind in self.kinds)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One message through one channel: its attempts, the last error (never a secret or an
    address of the webhook) and when it went. At most one per channel, subject and day."""

    channel = belongs_to(Channel, _("channel"), related_name="deliveries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("subject key"), max_length=100)
    day = models.DateField(_("day"))
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("message"))
    recipients = models.TextField(_("e-mail addresses"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = creation_time(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["channel", "key", "day"], name="one_delivery_a_day")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel_id} · {self.key} · {self.status}"


class CrisisCategory(models.TextChoices):
    SUICIDE = "suicide", _("suicide or self-harm")
    VIOLENCE = "violence", _("domestic violence or abuse")
    MISSING = "missing", _("missing person")
    OTHER = "other", _("other")


class CrisisWord(WithHistory):
    """A word in the reviewed crisis lexicon: found (not negated) in a visit's findings or a
    service record's notes, it raises an alert for the station supervisor to review."""

    history_division = "history_user__division__code"

    word = models.CharField(_("word"), max_length=20, unique=True)
    category = models.CharField(
        _("category"), max_length=16, choices=CrisisCategory.choices, default=CrisisCategory.OTHER
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    changed_by = actor_link(_("changed by"), optional=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["category", "word"]
        verbose_name = _("crisis word")
        verbose_name_plural = _("crisis words")

    def __str__(self):
        return self.word
