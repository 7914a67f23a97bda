"""The login steps after the password (see ``middleware``): the second factor, enrolling an
authenticator app, and changing one's password (self-service, or forced when it was set by
somebody else or has expired)."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from shegong.access import services
from shegong.access.decorators import scoped_page
from shegong.common.forms import apply_service_errors

from .forms import OtpForm, OwnPasswordForm
from .middleware import safe_next


def _next_field(request) -> str:
    """``next`` as the step's form carries it on (from the query string, or posted back)."""
    return request.POST.get("next") or request.GET.get("next", "")


def _qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG, drawn here (no image service, no script)."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def _two_factor_failed(request, user):
    """A wrong code counts towards the lockout like a wrong password; once locked, the
    half-finished login ends (django-axes answers with its lockout page)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        logout(request)


@scoped_page
def two_factor(request):
    """The second factor of an account that has an authenticator."""
    user = request.user
    if not services.requires_two_factor(user) or user.is_verified():
        return redirect(safe_next(request))
    if services.totp_device_of(user) is None:
        return redirect("accounts:two-factor-setup")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_verify(user=user, token=form.cleaned_data["otp"])
        if device is not None:
            otp_login(request, device)
            return redirect(safe_next(request))
        form.add_error("otp", _("The code is wrong or has expired."))
        _two_factor_failed(request, user)
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": _next_field(request)},
        status=400 if form.errors else 200,
    )


@scoped_page
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code,
    and receive the recovery codes, shown this once."""
    user = request.user
    if not services.requires_two_factor(user):
        raise PermissionDenied
    if services.totp_device_of(user) is not None:
        # Re-enrolling (a new phone) takes the second factor first.
        if not user.is_verified():
            return redirect("accounts:two-factor")
    device = services.totp_enrol_start(user=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrol_confirm(
                user=user, device=device, token=form.cleaned_data["otp"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            _two_factor_failed(request, user)
        else:
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": safe_next(request)},
            )
    key = _base32(device.bin_key)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "next": _next_field(request),
        },
        status=400 if form.errors else 200,
    )


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")


@scoped_page
def password_change(request):
    """Change one's own password; the other sessions and every API token of the account end."""
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect(safe_next(request))
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": services.password_expired(request.user),
            "next": _next_field(request),
        },
        status=400 if form.errors else 200,
    )
