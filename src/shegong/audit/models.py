"""The audit records: sensitive-data accesses (reveals and exports) and logins.

Both are append-only and tamper-evident: each row stores the hash of the row before it and
its own keyed HMAC-SHA256 over its content and that previous hash (``chain``), appended under a lock
on its chain's head row so two writers never fork the chain. ``manage.py verify_audit``
recomputes both chains. Rows are not updated or deleted through the ORM; only
``manage.py prune_audit`` removes rows, and only those older than the retention."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.common.fields import actor_link


class AppendOnlyQuerySet(models.QuerySet):
    """No update, no delete, no bulk insert that would skip the chain."""

    def update(self, **kwargs):
        raise PermissionError("Audit records are append-only.")

    def delete(self):
        raise PermissionError("Audit records are append-only.")

    def bulk_create(self, *args, **kwargs):
        raise PermissionError("Audit records are appended one by one, on their chain.")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("Audit records are append-only.")


class ChainHead(models.Model):
    """The newest hash of one chain (and the lock its writers take), and the anchor the
    chain starts from: "" until old rows are pruned, then the hash the first kept row
    links to."""

    name = models.CharField(max_length=32, primary_key=True)
    last_hash = models.CharField(max_length=64, blank=True)
    anchor_hash = models.CharField(max_length=64, blank=True)
    pruned_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chains")

    def __str__(self):
        return self.name


class ChainedRecord(models.Model):
    """A row of a hash chain. ``chain_name`` names the chain (its ``ChainHead``);
    ``chain_fields`` the attributes hashed, in a fixed list: a field added later is appended
    to the list only with a way to hash the rows written before it."""

    chain_name = ""
    chain_fields: tuple[str, ...] = ()

    prev_hash = models.CharField(max_length=64, editable=False, default="")
    hash = models.CharField(max_length=64, editable=False, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit records are append-only.")
        from .chain import append

        append(self, lambda: super(ChainedRecord, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit records are append-only.")


class AccessLog(ChainedRecord):
    """Append-only record of every reveal and export of sensitive data (PIPL). An export
    names the reader's whole scope (``scope``: every division prefix it could read), the
    filters it applied and how many rows it carried."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("revealed")
        EXPORT = "export", _("exported")
        LOOKUP = "lookup", _("looked up an identifier")

    chain_name = "access"
    chain_fields = (
        "user_id",
        "action",
        "object_type",
        "object_id",
        "fields",
        "reason",
        "division_code",
        "scope",
        "filters",
        "rows",
        "at",
    )

    user = actor_link(_("user"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=50)
    object_id = models.CharField(_("record"), max_length=50, blank=True)
    fields = models.CharField(_("fields"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200)
    division_code = models.CharField(_("division"), max_length=12, db_index=True)
    scope = models.TextField(_("scope"), blank=True, default="")
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    # Set before the row is hashed (not auto_now_add, which would change it at insert).
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sensitive-data access")
        verbose_name_plural = _("sensitive-data accesses")

    def __str__(self):
        return f"{self.user} {self.action} {self.object_type}:{self.object_id}"


class LoginEvent(ChainedRecord):
    """A login, a logout or a failed attempt, from Django's auth signals. A failed attempt
    keeps the username typed, never the password."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        FAILED = "failed", _("failed login")

    chain_name = "login"
    chain_fields = ("kind", "username", "division_code", "ip_address", "user_agent", "at")

    kind = models.CharField(_("event"), max_length=8, choices=Kind.choices, db_index=True)
    username = models.CharField(_("username"), max_length=150, db_index=True)
    # The account's home division (empty for a username nobody has): who audits it.
    division_code = models.CharField(_("division"), max_length=12, blank=True, db_index=True)
    ip_address = models.CharField(_("IP address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("login record")
        verbose_name_plural = _("login records")

    def __str__(self):
        return f"{self.username} {self.kind} {self.at:%Y-%m-%d %H:%M:%S}"


CHAINED_MODELS = (AccessLog, LoginEvent)


def retention_days() -> int:
    """How long audit and login records are kept: the setting, never under 180 days."""
    return max(180, int(getattr(settings, "SHEGONG_AUDIT_RETENTION_DAYS", 180) or 180))
