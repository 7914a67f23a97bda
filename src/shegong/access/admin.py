"""No admin page shows a token or a second-factor secret, or changes a log (等保 三员分立 and
audit integrity): the API-token admin (django-rest-knox) and the device admins of django-otp
are removed and the login records of django-axes are view-only, with no actions. The admin
apps that register these load before this one (INSTALLED_APPS order)."""

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


SECRET_MODELS = (
    "knox.AuthToken",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
)
for label in SECRET_MODELS:
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
