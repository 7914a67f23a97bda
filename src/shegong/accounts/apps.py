from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Account, grant and security pages and API, on top of ``access`` (which knows roles and
    scopes but imports no domain app)."""

    name = "shegong.accounts"
    verbose_name = _("accounts")
