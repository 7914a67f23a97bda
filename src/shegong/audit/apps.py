from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shegong.audit"
    verbose_name = _("audit")

    def ready(self):
        from . import checks, signals  # noqa: F401  (system checks; login records)
