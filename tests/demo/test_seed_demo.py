"""seed_demo fills a district through the services (so the demo obeys every rule)."""

import pytest
from django.core.management import call_command

from shegong.clients.models import Client
from shegong.divisions.models import Division
from shegong.network.models import Unit

pytestmark = pytest.mark.django_db


def test_seed_demo_on_a_small_district_is_complete_and_idempotent(capsys, settings, tmp_path):
    # The command writes the demo password under VAR_DIR: keep the developer's untouched.
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "500103")  # 渝中区: small, quick
    assert (tmp_path / "demo-password.txt").exists()
    towns = Division.objects.filter(code__startswith="500103", level=9).count()
    villages = Division.objects.filter(code__startswith="500103", level=12).count()
    units = Unit.objects.filter(division__code__startswith="500103")
    assert units.filter(kind="station").count() == towns
    assert units.filter(kind="room").count() == villages
    assert Client.objects.filter(division__code__startswith="500103").exists()
    assert "admin" in capsys.readouterr().out
    from shegong.activities.models import Activity
    from shegong.cases.models import Case

    stages = set(Case.objects.values_list("stage", flat=True))
    assert {"intake", "planning", "intervention", "closing", "closed"} <= stages
    assert Activity.objects.filter(kind="group", service_records__isnull=False).exists()
    assert Activity.objects.filter(kind="community").exists()
    from shegong.purchasing.models import Evaluation, Project

    assert set(Project.objects.values_list("stage", flat=True)) == {
        "budgeted",
        "procuring",
        "contracted",
        "closed",
    }
    assert Evaluation.objects.filter(status="submitted").exists()
    before = (Unit.objects.count(), Client.objects.count())
    call_command("seed_demo", "500103")
    assert (Unit.objects.count(), Client.objects.count()) == before
