from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.common.fields import actor_link, creation_time


class AccessLog(models.Model):
    """Append-only record of every reveal and export of sensitive data (PIPL)."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("revealed")
        EXPORT = "export", _("exported")
        # An identifier typed by someone who may not see the record it belongs to (a
        # duplicate refused outside the user's area): the refusal itself says it exists.
        LOOKUP = "lookup", _("looked up an identifier")

    user = actor_link(_("user"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=50)
    object_id = models.CharField(_("record"), max_length=50, blank=True)
    fields = models.CharField(_("fields"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200)
    division_code = models.CharField(_("division"), max_length=12, db_index=True)
    at = creation_time(_("time"), db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sensitive-data access")
        verbose_name_plural = _("sensitive-data accesses")

    def __str__(self):
        return f"{self.user} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")
