from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "shegong.access"
    verbose_name = _("access")

    def ready(self):
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        from .signals import record_last_login

        # Django saves the whole user on login, which would add a change-history row per
        # login; record the time with an UPDATE instead (logins are in the login log).
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="shegong_record_last_login")
