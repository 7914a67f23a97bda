from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "shegong.activities"
    verbose_name = _("Group work and community activities")

    def ready(self):
        from . import dossier

        dossier.register()  # this app's rows on the person's file (clients.dossier)
