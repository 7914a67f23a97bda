"""Channels against real local receivers started by the tests: an SMTP server (aiosmtpd)
and webhook receivers (http.server in a thread) in the WeCom and DingTalk formats, one of
them failing (HTTP 500, then a refused connection). The failing channel is retried with
backoff and logged, and never stops the others."""

import base64
import datetime
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.utils import timezone

from shegong.notifications.channels import dingtalk_signed_url
from shegong.notifications.models import Channel, Delivery, DeliveryStatus, Kind
from shegong.notifications.services import Message, channel_save, deliver_due, notify

pytestmark = pytest.mark.django_db(transaction=False)

SECRET = "SECabc123secret"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """A webhook receiver: records each POST (path, query, JSON) and answers ``status``."""

    def __init__(self, status=200, answer=None):
        self.requests, self.status = [], status
        self.answer = answer or {"errcode": 0, "errmsg": "ok"}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                url = urllib.parse.urlsplit(self.path)
                receiver.requests.append(
                    (
                        url.path,
                        urllib.parse.parse_qs(url.query),
                        json.loads(self.rfile.read(length)),
                    )
                )
                body = json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made = []

    def make(**kwargs):
        made.append(Receiver(**kwargs))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


def _channels(world, wecom_url, dingtalk_url, broken_url):
    admin, room = world.users.district, world.room_a1
    return {
        "email": channel_save(
            actor=admin, unit=room, kind="email", name="站内邮件", recipients="room@example.cn"
        ),
        "wecom": channel_save(
            actor=admin, unit=room, kind="wecom", name="企业微信群", webhook_url=wecom_url
        ),
        "dingtalk": channel_save(
            actor=admin,
            unit=room,
            kind="dingtalk",
            name="钉钉群",
            webhook_url=dingtalk_url,
            secret=SECRET,
        ),
        "broken": channel_save(
            actor=admin, unit=room, kind="wecom", name="坏的群", webhook_url=broken_url
        ),
    }


def _remind(world, key="overdue-high:500112002001"):
    with transaction.atomic():
        return notify(
            Message(
                kind=Kind.OVERDUE_VISIT,
                key=key,
                title="2 位高风险对象走访逾期",
                body="张*丰（逾期3天）、李*（逾期1天）",
                url="/visits/due/",
                users=[world.users.room_a1],
                unit_id=world.room_a1.pk,
            )
        )


def test_every_channel_delivers_and_a_failing_one_is_retried_then_logged(
    world, smtp, receivers, settings, caplog
):
    settings.SHEGONG_NOTIFY_RETRY_MINUTES = (1, 5)
    wecom, dingtalk, broken = receivers(), receivers(), receivers(status=500)
    channels = _channels(
        world,
        f"{wecom.url}/cgi-bin/webhook/send?key=K1",
        f"{dingtalk.url}/robot/send?access_token=T1",
        f"{broken.url}/cgi-bin/webhook/send?key=BROKEN",
    )
    _remind(world)
    now = timezone.now()
    counts = deliver_due(now)
    assert counts == {"sent": 3, "retry": 1, "failed": 0}

    # E-mail through Django's SMTP backend to the local server.
    [(rcpt, mail)] = smtp.messages
    assert rcpt == ["room@example.cn"]
    assert str(make_header(decode_header(mail["Subject"]))) == "2 位高风险对象走访逾期"
    # WeCom's text message format.
    [(path, query, payload)] = wecom.requests
    assert path == "/cgi-bin/webhook/send" and query == {"key": ["K1"]}
    assert payload["msgtype"] == "text" and "张*丰（逾期3天）" in payload["text"]["content"]
    # DingTalk's, signed: timestamp + base64(HMAC-SHA256(secret, "timestamp\nsecret")).
    [(path, query, payload)] = dingtalk.requests
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert sign == expected and query["access_token"] == ["T1"]
    assert payload == {"msgtype": "text", "text": payload["text"]}

    failing = Delivery.objects.get(channel=channels["broken"])
    assert failing.status == DeliveryStatus.PENDING and failing.attempts == 1
    assert failing.last_error == "HTTP 500"
    assert failing.next_attempt_at == now + datetime.timedelta(minutes=1)
    # Nothing of the webhook's address or key in the log or the stored error.
    assert "BROKEN" not in caplog.text and "BROKEN" not in failing.last_error

    # Not yet due: nothing happens; the second attempt finds the receiver gone.
    assert deliver_due(now + datetime.timedelta(seconds=30)) == {"sent": 0, "retry": 0, "failed": 0}
    broken.close()
    assert deliver_due(now + datetime.timedelta(minutes=2)) == {"sent": 0, "retry": 1, "failed": 0}
    failing.refresh_from_db()
    assert failing.attempts == 2 and failing.last_error.startswith("connection failed")
    assert "BROKEN" not in failing.last_error
    # The third fails too, and the retries are spent: failed, logged, the others untouched.
    assert deliver_due(now + datetime.timedelta(minutes=10)) == {"sent": 0, "retry": 0, "failed": 1}
    failing.refresh_from_db()
    assert failing.status == DeliveryStatus.FAILED and failing.attempts == 3
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT)
    assert sent.count() == 3 and all(d.attempts == 1 for d in sent)
    assert len(wecom.requests) == 1 and len(smtp.messages) == 1


def test_a_failing_channel_recovers_on_retry(world, receivers, settings):
    settings.SHEGONG_NOTIFY_RETRY_MINUTES = (1,)
    flaky = receivers(status=500)
    channel = channel_save(
        actor=world.users.district,
        unit=world.room_a1,
        kind="wecom",
        name="群",
        webhook_url=flaky.url,
    )
    _remind(world)
    now = timezone.now()
    assert deliver_due(now)["retry"] == 1
    flaky.status = 200
    assert deliver_due(now + datetime.timedelta(minutes=1))["sent"] == 1
    delivery = Delivery.objects.get(channel=channel)
    assert delivery.status == "sent" and delivery.attempts == 2 and delivery.last_error == ""


def test_an_answer_with_an_error_code_is_a_failure(world, receivers):
    robot = receivers(answer={"errcode": 310000, "errmsg": "sign not match"})
    channel_save(
        actor=world.users.district,
        unit=world.room_a1,
        kind="dingtalk",
        name="钉钉",
        webhook_url=robot.url,
    )
    _remind(world)
    deliver_due()
    assert Delivery.objects.get().last_error == "errcode 310000: sign not match"


def test_the_same_reminder_is_delivered_once_a_day(world, receivers):
    robot = receivers()
    channel_save(
        actor=world.users.district,
        unit=world.room_a1,
        kind="wecom",
        name="群",
        webhook_url=robot.url,
    )
    _remind(world)
    _remind(world)
    deliver_due()
    deliver_due()
    assert len(robot.requests) == 1 and Delivery.objects.count() == 1


def test_a_write_that_notifies_queues_and_never_waits_on_a_channel(world, settings):
    """The deliveries leave after commit through the task (immediate in tests); a refused
    connection there is logged on the delivery and the write stands."""
    channel_save(
        actor=world.users.district,
        unit=world.room_a1,
        kind="wecom",
        name="群",
        webhook_url=f"http://127.0.0.1:{_free_port()}/send",
    )
    with transaction.atomic():
        _remind(world)
    # pytest-django's transaction never commits: run what on_commit would.
    deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.last_error.startswith("connection failed")


def test_channel_secrets_are_encrypted_and_never_shown(world, client):
    channel = channel_save(
        actor=world.users.district,
        unit=world.room_a1,
        kind="dingtalk",
        name="钉钉群",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=TOPSECRET",
        secret=SECRET,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT webhook_url, secret FROM notifications_channel")
        raw = b"".join(bytes(v) for v in cursor.fetchone())
    assert b"TOPSECRET" not in raw and SECRET.encode() not in raw
    assert not channel.history.first().__dict__.get("secret")
    client.force_login(world.users.district)
    page = client.get(f"/notification-channels/{channel.pk}/")
    assert page.status_code == 200
    assert "TOPSECRET" not in page.content.decode() and SECRET not in page.content.decode()
    # Saving the form without them keeps them.
    client.post(
        f"/notification-channels/{channel.pk}/",
        {"unit": world.room_a1.pk, "kind": "dingtalk", "name": "钉钉群2", "is_active": "on"},
    )
    channel.refresh_from_db()
    assert channel.name == "钉钉群2" and channel.secret == SECRET
    # A room worker configures nothing.
    other = client.__class__()
    other.force_login(world.users.room_a1)
    assert other.get("/notification-channels/").status_code == 403


def test_signing_follows_dingtalk():
    url = dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=x", "SEC1", 1700000000000
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    digest = hmac.new(b"SEC1", b"1700000000000\nSEC1", hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    assert query["timestamp"] == ["1700000000000"]


def test_bad_channel_settings_are_refused_by_field(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        channel_save(
            actor=world.users.district, unit=world.room_a1, kind="wecom", name="x", webhook_url=""
        )
    assert "webhook_url" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        channel_save(
            actor=world.users.district,
            unit=world.room_a1,
            kind="email",
            name="x",
            recipients="not-an-address",
        )
    assert "recipients" in refused.value.message_dict
    assert not Channel.objects.exists()
