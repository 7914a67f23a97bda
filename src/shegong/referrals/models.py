from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import ScopedByClientQuerySet
from shegong.common.fields import actor_link, creation_time, link, optional_link
from shegong.common.models import Versioned, WithHistory


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


class Referral(Versioned, WithHistory):
    """A client passed up or down the levels (room → station → centre, or back down) or
    out to a department or resource: a small state machine after Primero's."""

    history_division = "client__division__code"

    client = link("clients.Client", _("client"), related_name="referrals")
    from_unit = link("network.Unit", _("from"), related_name="referrals_sent")
    to_unit = optional_link("network.Unit", _("to unit"), related_name="referrals_received")
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
    created_by = actor_link(_("referred by"))
    created_at = creation_time(_("referred at"))
    decided_by = actor_link(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ScopedByClientQuerySet.as_manager()

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
