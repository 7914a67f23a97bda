from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DivisionsConfig(AppConfig):
    name = "shegong.divisions"
    verbose_name = _("divisions")
