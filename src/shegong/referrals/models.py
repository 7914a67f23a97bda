from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.access.querysets import ScopedQuerySet


class ExternalKind(models.TextChoices):
    HOSPITAL = "hospital", _("hospital or clinic")
    SCHOOL = "school", _("school")
    POLICE = "police", _("police station")
    COURT = "court", _("court")
    MEDIATION = "mediation", _("mediation committee")
    DEPARTMENT = "department", _("government department")
    ORGANISATION = "organisation", _("social organisation or charity")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")


class Status(models.TextChoices):
    PENDING = "pending", _("awaiting a decision")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class ReferralQuerySet(ScopedQuerySet):
    scope_field = "client__division__code"


class Referral(models.Model):
    """A client passed up or down the levels (room → station → centre, or back down) or
    out to a department or resource: a small state machine after Primero's."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("client"),
    )
    from_unit = models.ForeignKey(
        "network.Unit",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_unit = models.ForeignKey(
        "network.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("to unit"),
    )
    external_kind = models.CharField(
        _("to an outside body"), max_length=16, choices=ExternalKind.choices, blank=True
    )
    external_name = models.CharField(_("its name"), max_length=100, blank=True)
    reason = models.TextField(_("reason"))
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    consent_checked = models.BooleanField(_("the client (or guardian) agreed"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("decision due"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred by"),
    )
    created_at = models.DateTimeField(_("referred at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self):
        target = self.to_unit or self.external_name or self.get_external_kind_display()
        return f"{self.client} → {target}"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status == Status.PENDING and self.due_at < timezone.now()
