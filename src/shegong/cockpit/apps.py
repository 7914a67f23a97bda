from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """Home, coverage and reports: reads every domain app; nothing imports it."""

    name = "shegong.cockpit"
    verbose_name = _("cockpit")
