from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shegong.audit"
    verbose_name = _("audit")

    def ready(self):
        from shegong.access.models import RoleGrant, User

        from .registry import register_history

        # Accounts sit below the audit app, so it registers their history itself.
        register_history(User, _("account"), "division__code")
        register_history(RoleGrant, _("role grant"), "user__division__code")
