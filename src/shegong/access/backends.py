"""The configuration capability: holders of the ``config_admin`` role (made staff by
``access.services.grant_add``, never superusers) may use the Django admin on the
configuration models below and on nothing else: no accounts, tokens, logs or service data."""

from django.contrib.auth.backends import BaseBackend

from . import scoping
from .models import Role

# app_label.model_name of the models the configuration administrator maintains.
CONFIG_MODELS = frozenset(
    {
        "records.servicefield",
        "clients.targetgroup",
        "clients.visitpolicy",
        "network.agency",
        "divisions.division",
    }
)


def _is_config_admin(user) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and scoping.has_role(user, Role.CONFIG_ADMIN)
    )


class ConfigAdminBackend(BaseBackend):
    """Authorises only; authentication stays with axes and the model backend."""

    def has_perm(self, user_obj, perm, obj=None):
        app_label, _dot, codename = perm.partition(".")
        action, _sep, model = codename.partition("_")
        return (
            action in {"view", "add", "change", "delete"}
            and f"{app_label}.{model}" in CONFIG_MODELS
            and _is_config_admin(user_obj)
        )

    def has_module_perms(self, user_obj, app_label):
        return _is_config_admin(user_obj) and any(
            m.split(".")[0] == app_label for m in CONFIG_MODELS
        )
