"""Crisis words (issue 10 item 11): jieba-segmented text against the reviewed lexicon,
simple negation skipped, an alert for the station supervisor raised with the record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.clients import services as client_services
from shegong.clients.models import AlertReview, RiskAlert
from shegong.notifications.crisis import crisis_words_in
from shegong.notifications.models import CrisisWord, Kind, Notification
from tests.clients.test_clients import make
from tests.conftest import VILLAGE_A1
from tests.visits.factories import VisitFactory

pytestmark = pytest.mark.django_db

AFFIRMED = [
    ("老人说活着没意思，想自杀", "自杀"),
    ("儿子长期家暴母亲", "家暴"),
    ("孩子昨天走失，至今未找到", "走失"),
    ("有轻生念头", "轻生"),
    ("邻居反映其遭受虐待", "虐待"),
    ("她说不想活了", "不想活"),
    ("不排除自杀可能", "自杀"),
    ("否认家暴，但身上有多处淤青，疑似遭殴打", "殴打"),
    ("曾多次割腕", "割腕"),
    ("没有人照顾，想自杀", "自杀"),
    ("他没有工作有自杀倾向", "自杀"),
    ("案主透露丈夫家庭暴力", "家庭暴力"),
    ("有离家出走的想法", "离家出走"),
]
NEGATED = [
    "无自杀倾向",
    "否认家暴",
    "没有轻生念头",
    "未发现虐待迹象",
    "没有任何轻生想法",
    "无明显自杀倾向",
    "否认曾遭受家暴",
    "从未有过轻生的想法",
    "未见家暴痕迹",
    "情绪稳定，无轻生念头",
    "排除走失可能",
    "并无虐待情况",
    "没有说过不想活",
    "生活规律，饮食正常",
]


@pytest.mark.parametrize(("text", "word"), AFFIRMED)
def test_affirmed_words_are_found(text, word):
    assert word in crisis_words_in(text)


@pytest.mark.parametrize("text", NEGATED)
def test_negated_or_absent_words_are_not(text):
    assert crisis_words_in(text) == []


def test_the_lexicon_is_data_the_district_edits():
    assert crisis_words_in("他最近总说要去天台") == []
    CrisisWord.objects.create(word="天台", category="suicide")
    assert crisis_words_in("他最近总说要去天台") == ["天台"]
    CrisisWord.objects.filter(word="自杀").update(is_active=False)
    assert crisis_words_in("想自杀") == []


@pytest.mark.date_sensitive
def test_a_visit_with_crisis_words_alerts_the_station_supervisor(world):
    client = make(world, name="张三丰", village=VILLAGE_A1)
    VisitFactory(
        client=client, actor=world.users.room_a1, mode="in_person", findings="老人说想自杀"
    )
    alert = RiskAlert.objects.get(client=client, review=AlertReview.PENDING)
    assert alert.crisis_words == "自杀" and "想自杀" not in alert.reason
    note = Notification.objects.get(user=world.users.station_a, kind=Kind.CRISIS)
    assert "张*丰" in note.title and "张三丰" not in note.title + note.body
    # Not the other town's station, not the room worker who wrote it.
    assert not Notification.objects.filter(user=world.users.station_b).exists()


@pytest.mark.date_sensitive
def test_a_negated_finding_raises_nothing(world):
    client = make(world, village=VILLAGE_A1)
    VisitFactory(client=client, actor=world.users.room_a1, findings="精神状态好，无自杀倾向")
    assert not RiskAlert.objects.filter(client=client).exists()
    assert not Notification.objects.exists()


@pytest.mark.date_sensitive
def test_the_supervisor_confirms_or_dismisses_with_a_reason(world):
    client = make(world, village=VILLAGE_A1)
    VisitFactory(client=client, actor=world.users.room_a1, findings="邻居反映其遭受虐待")
    VisitFactory(client=client, actor=world.users.room_a1, findings="孩子走失了")
    first, second = RiskAlert.objects.filter(client=client).order_by("pk")
    with pytest.raises(PermissionDenied):
        client_services.risk_alert_review(
            alert=first, actor=world.users.room_a1, decision="confirmed"
        )
    with pytest.raises(PermissionDenied):
        client_services.risk_alert_review(
            alert=first, actor=world.users.station_b, decision="confirmed"
        )
    with pytest.raises(ValidationError) as refused:
        client_services.risk_alert_review(
            alert=first, actor=world.users.station_a, decision="dismissed", note=""
        )
    assert "note" in refused.value.message_dict
    confirmed = client_services.risk_alert_review(
        alert=first, actor=world.users.station_a, decision="confirmed"
    )
    assert confirmed.review == "confirmed" and confirmed.resolved_at is None
    dismissed = client_services.risk_alert_review(
        alert=second, actor=world.users.station_a, decision="dismissed", note="孩子已找到，误报"
    )
    assert dismissed.resolved_at is not None and dismissed.action_taken == "孩子已找到，误报"
    with pytest.raises(ValidationError):
        client_services.risk_alert_review(
            alert=second, actor=world.users.station_a, decision="confirmed"
        )


@pytest.mark.date_sensitive
def test_review_on_the_alert_page(world, client):
    alerted = make(world, village=VILLAGE_A1)
    VisitFactory(client=alerted, actor=world.users.room_a1, findings="有轻生念头")
    alert = RiskAlert.objects.get(client=alerted)
    client.force_login(world.users.room_a1)
    page = client.get("/alerts/").content.decode()
    assert "轻生" in page and f"/alerts/{alert.pk}/review/" not in page
    client.force_login(world.users.station_a)
    assert f"/alerts/{alert.pk}/review/" in client.get("/alerts/").content.decode()
    refused = client.post(f"/alerts/{alert.pk}/review/", {"decision": "dismissed", "note": ""})
    assert refused.status_code == 400 and 'data-field="note"' in refused.content.decode()
    done = client.post(
        f"/alerts/{alert.pk}/review/", {"decision": "dismissed", "note": "家属说明是玩笑话"}
    )
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.review == "dismissed" and alert.resolved_at is not None
    assert client.post(f"/alerts/{alert.pk}/review/", {"decision": "x"}).status_code == 400


@pytest.mark.date_sensitive
def test_a_correction_that_adds_crisis_words_alerts(world):
    from shegong.visits import services as visit_services

    client = make(world, village=VILLAGE_A1)
    visit = VisitFactory(client=client, actor=world.users.room_a1, findings="情况稳定")
    assert not RiskAlert.objects.filter(client=client).exists()
    visit_services.visit_correct(
        visit=visit, actor=world.users.room_a1, findings="补记：曾说想自杀"
    )
    assert RiskAlert.objects.get(client=client).crisis_words == "自杀"
