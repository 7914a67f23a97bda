"""The login policy for sessions: after the password, an account that needs two factors
proves its second factor (enrolling first if it has no authenticator), and an account whose
password was set by somebody else or has expired chooses a new one. Until then every other
page, the API included, is out of reach, so nothing is reachable half-logged-in."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shegong.access.services import password_expired, requires_two_factor, totp_device_of

# Reachable at every step: leaving, the language switch, and the token endpoint (which
# checks credentials and second factor itself).
ALWAYS_OPEN = ("logout", "set_language", "api:auth-token")


def pending_step(request) -> str | None:
    """The URL name of the login step this session still owes, or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    # A session's user is marked by django-otp's middleware; one the API authenticated by a
    # token is not, and needs no mark (tokens are issued after the second factor).
    verified = user.is_verified() if hasattr(user, "is_verified") else True
    if requires_two_factor(user) and not verified:
        if totp_device_of(user) is None:
            return "accounts:two-factor-setup"
        return "accounts:two-factor"
    if password_expired(user):
        return "accounts:password-change"
    return None


def safe_next(request, default: str = "home") -> str:
    """Where to go once the step is done: ``next`` if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = pending_step(request)
        if step is None or self._open(request.path, step):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish logging in first (second factor or new password).")},
                status=403,
            )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(step)}?{query}" if query else reverse(step))

    @staticmethod
    def _open(path: str, step: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        names = [*ALWAYS_OPEN, step]
        if step == "accounts:password-change":
            names.append("api:auth-password")
        return path in {reverse(name) for name in names}
