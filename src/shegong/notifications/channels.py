"""Channel backends: how one delivery leaves the building.

Each backend's ``send(channel, delivery)`` raises ``DeliveryError`` with a message that
carries no credential (no webhook address, no secret) on any failure; the delivery loop
retries with backoff. E-mail goes through Django's configured e-mail backend
(``EMAIL_BACKEND``, SMTP in production); WeCom and DingTalk group robots take a JSON POST
(``{"msgtype": "text", "text": {"content": …}}``), DingTalk's optionally signed with
HMAC-SHA256 (``timestamp`` and ``sign`` query parameters)."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from .models import ChannelKind


class DeliveryError(Exception):
    """A failed send, its message safe to store and show."""


def _timeout() -> float:
    return float(getattr(settings, "SHEGONG_NOTIFY_TIMEOUT", 10))


def _safe(message: str, *secrets: str) -> str:
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message[:300]


def send_email(channel, delivery) -> None:
    recipients = [a.strip() for a in delivery.recipients.split(",") if a.strip()]
    if not recipients:
        raise DeliveryError("no e-mail address")
    try:
        send_mail(
            delivery.subject,
            delivery.text,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            fail_silently=False,
        )
    except Exception as exc:  # smtplib, socket, backend errors alike
        raise DeliveryError(f"{type(exc).__name__}: {exc}"[:300]) from None


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>"))."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = base64.b64encode(digest).decode()
    query = urllib.parse.urlencode({"timestamp": timestamp, "sign": sign})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _post_json(url: str, payload: dict, *secrets: str) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310
            body = response.read(10_000)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise DeliveryError(_safe(f"connection failed: {exc.reason}", url, *secrets)) from None
    except (TimeoutError, OSError) as exc:
        raise DeliveryError(_safe(f"{type(exc).__name__}: {exc}", url, *secrets)) from None
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return  # a 2xx without JSON: taken as delivered
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        message = str(answer.get("errmsg", ""))[:100]
        raise DeliveryError(_safe(f"errcode {answer.get('errcode')}: {message}", *secrets))


def _text_payload(delivery) -> dict:
    return {"msgtype": "text", "text": {"content": f"{delivery.subject}\n{delivery.text}"}}


def send_wecom(channel, delivery) -> None:
    if not channel.webhook_url:
        raise DeliveryError("no webhook address")
    _post_json(channel.webhook_url, _text_payload(delivery))


def send_dingtalk(channel, delivery) -> None:
    if not channel.webhook_url:
        raise DeliveryError("no webhook address")
    url = channel.webhook_url
    if channel.secret:
        url = dingtalk_signed_url(url, channel.secret)
    _post_json(url, _text_payload(delivery), channel.webhook_url, channel.secret or "")


BACKENDS = {
    ChannelKind.EMAIL: send_email,
    ChannelKind.WECOM: send_wecom,
    ChannelKind.DINGTALK: send_dingtalk,
}
