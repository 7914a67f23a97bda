"""The API's login: a token for username, password and (administrators) a second factor;
logging out one token or all; changing one's own password. Tokens are django-rest-knox's:
only their hash is stored, each expires (``REST_KNOX["TOKEN_TTL"]``)."""

from django.contrib.auth import (
    authenticate,
    update_session_auth_hash,
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shegong.access import services


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text=_(
            "The code of the authenticator app, or a recovery code: required from the "
            "district, system, security, audit and configuration administrators."
        ),
    )

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(
                {"password": [_("The username or password is wrong.")]}
            )
        if services.requires_two_factor(user):
            if services.totp_device_of(user) is None:
                raise serializers.ValidationError(
                    {"otp": [_("Enrol an authenticator app on the website first.")]}
                )
            if not attrs.get("otp"):
                raise serializers.ValidationError(
                    {"otp": [_("This account needs the code of its authenticator app.")]}
                )
            if services.otp_verify(user=user, token=attrs["otp"]) is None:
                # A wrong second factor counts towards the lockout like a wrong password.
                user_login_failed.send(
                    sender=__name__, credentials={"username": user.username}, request=request
                )
                raise serializers.ValidationError({"otp": [_("The code is wrong or has expired.")]})
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField()
    password_change_required = serializers.BooleanField(
        help_text=_("True: the token serves only POST /api/v1/auth/password/ until then.")
    )


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenView(APIView):
    """Log in: a new API token for username, password and, for administrators, ``otp``."""

    authentication_classes = []
    permission_classes = [AllowAny]
    # Guessing is stopped by the lockout (django-axes), which wrong codes count towards too.
    throttle_classes = []

    @extend_schema(
        request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[], tags=["auth"]
    )
    def post(self, request):
        body = TokenRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        user = body.validated_data["user"]
        stored, token = services.token_create(user=user)
        # The same signal as a page login, so the login records (audit) hold API logins too.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        answer = {
            "token": token,
            "expiry": stored.expiry,
            "password_change_required": services.password_expired(user),
        }
        return Response(TokenSerializer(answer).data)


class LogoutView(APIView):
    """Revoke the token this request presents."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        if request.auth is not None and hasattr(request.auth, "digest"):
            services.tokens_revoke(user=request.user, token=request.auth)
            user_logged_out.send(
                sender=type(request.user), request=request._request, user=request.user
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every token of the account."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("RevokedTokens", {"revoked": serializers.IntegerField()})
        },
        tags=["auth"],
    )
    def post(self, request):
        return Response({"revoked": services.tokens_revoke(user=request.user)})


class PasswordView(APIView):
    """Change one's own password; every API token of the account is revoked (log in again)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeSerializer, responses={204: None}, tags=["auth"])
    def post(self, request):
        body = PasswordChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.password_change(user=request.user, **body.validated_data)
        # A session that changed it stays logged in; the others end (Django's session hash).
        update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
