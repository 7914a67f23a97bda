from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "shegong.network"
    verbose_name = _("network")

    def ready(self):
        from shegong.audit.registry import register_history

        from .models import Unit

        register_history(Unit, _("unit"), "division__code")
