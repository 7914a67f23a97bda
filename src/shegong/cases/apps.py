from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shegong.cases"
    verbose_name = _("Casework")

    def ready(self):
        from . import dossier

        dossier.register()  # this app's rows on the person's file (clients.dossier)
