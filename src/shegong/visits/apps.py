from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "shegong.visits"
    verbose_name = _("home visits")

    def ready(self):
        from . import dossier

        dossier.register()  # this app's rows on the person's file (clients.dossier)
