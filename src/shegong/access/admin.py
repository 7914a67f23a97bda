"""No admin page shows a token or changes a log (等保 三员分立 and audit integrity): the
API-token admin is removed and the login records of django-axes are view-only, with no
actions. The admin apps that register these load before this one (INSTALLED_APPS order)."""

from django.apps import apps
from django.contrib import admin


def _read_only(model_admin_class):
    class ReadOnly(model_admin_class):
        actions = None

        def has_add_permission(self, request, obj=None):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

    ReadOnly.__name__ = f"ReadOnly{model_admin_class.__name__}"
    return ReadOnly


for label in ("authtoken.Token", "authtoken.TokenProxy"):
    try:
        model = apps.get_model(label)
    except LookupError:
        continue
    if admin.site.is_registered(model):
        admin.site.unregister(model)

for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
    try:
        model = apps.get_model(label)
    except LookupError:
        continue
    if admin.site.is_registered(model):
        registered = type(admin.site.get_model_admin(model))
        admin.site.unregister(model)
        admin.site.register(model, _read_only(registered))
