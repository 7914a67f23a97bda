from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "shegong.records"
    verbose_name = _("service records")

    def ready(self):
        from . import dossier

        dossier.register()  # this app's rows on the person's file (clients.dossier)
