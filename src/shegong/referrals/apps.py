from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "shegong.referrals"
    verbose_name = _("referrals")

    def ready(self):
        from . import dossier

        dossier.register()  # this app's rows on the person's file (clients.dossier)
