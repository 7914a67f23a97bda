from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "shegong.clients"
    verbose_name = _("clients")

    def ready(self):
        from shegong.common.crypto import register_lookup
        from shegong.common.imports import register_importer

        from . import dossier
        from .imports import roster_importer
        from .models import Client

        register_importer("roster", roster_importer)
        # The keyed hashes rotate_field_key recomputes under a new key.
        register_lookup(Client, "id_number", "id_number_hash", empty=None)
        register_lookup(Client, "phone", "phone_hash", empty="")
        dossier.register_own()  # target groups, alerts, consents on the person's file
