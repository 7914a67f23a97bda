from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic demo data for a district, written through the domain services only."""

    name = "shegong.demo"
    verbose_name = _("demo data")
