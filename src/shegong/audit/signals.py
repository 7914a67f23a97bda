"""Login records from Django's auth signals (whatever logs the user in: the login page,
the admin, a second-factor step), on the login chain."""

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import LoginEvent
from .services import login_recorded


@receiver(user_logged_in, dispatch_uid="shegong_audit_login")
def _logged_in(sender, request, user, **kwargs):
    login_recorded(kind=LoginEvent.Kind.LOGIN, username=user.get_username(), request=request)


@receiver(user_logged_out, dispatch_uid="shegong_audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        login_recorded(kind=LoginEvent.Kind.LOGOUT, username=user.get_username(), request=request)


@receiver(user_login_failed, dispatch_uid="shegong_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # ``credentials`` holds the password too (masked by Django): only the username is kept.
    username = credentials.get("username") or ""
    login_recorded(kind=LoginEvent.Kind.FAILED, username=str(username), request=request)
