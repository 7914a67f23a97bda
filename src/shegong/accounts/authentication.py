"""API authentication: django-rest-knox tokens (stored hashed, with an expiry), and the login
policy applied to them as to sessions: an account whose password must be changed may use its
token only to change it (or to log out)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from shegong.access.services import password_expired

# The API paths a token may still reach while its account's password must change.
PASSWORD_CHANGE_PATHS = ("api:auth-password", "api:auth-logout", "api:auth-logout-all")


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and password_expired(result[0]):
            if request.path not in {reverse(name) for name in PASSWORD_CHANGE_PATHS}:
                raise exceptions.PermissionDenied(
                    _("Your password must be changed first: POST /api/v1/auth/password/.")
                )
        return result
