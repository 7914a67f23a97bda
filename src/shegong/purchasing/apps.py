from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "shegong.purchasing"
    verbose_name = _("Purchased services")
