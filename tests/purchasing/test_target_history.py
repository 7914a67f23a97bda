"""R4.3 可追踪 (issue 9, finding 8): a project's targets, staffing promises, reports and
evaluation scores keep a history naming who changed them, so a target lowered after the
mid-term evaluation leaves a trace."""

from decimal import Decimal

import pytest
from django.utils.timezone import localdate

from shegong.purchasing import services
from shegong.purchasing.models import (
    Criterion,
    GradeRule,
    IndicatorTemplate,
    ProgressReport,
    ProjectIndicator,
    Score,
    StaffingCommitment,
)
from tests.conftest import api_for
from tests.purchasing.test_purchasing import contracted, evaluate, market  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


def test_a_target_lowered_after_the_mid_term_evaluation_leaves_a_trace(market):  # noqa: F811
    world = market
    project = contracted(world)
    buyer = api_for(world.users.purchaser)
    template = IndicatorTemplate.objects.get(metric="visits")
    url = f"/api/v1/projects/{project.pk}/set-indicators/"
    first = [{"template": template.pk, "target": "200", "weight": "40"}]
    assert buyer.post(url, first, format="json").status_code == 200
    evaluate(world, project, "mid")
    lowered = [{"template": template.pk, "target": "120", "weight": "40"}]
    assert buyer.post(url, lowered, format="json").status_code == 200
    indicator = ProjectIndicator.objects.get(project=project, template=template)
    trail = list(indicator.history.order_by("history_date"))
    assert [(h.history_type, h.target) for h in trail] == [
        ("+", Decimal("200")),
        ("~", Decimal("120")),
    ]
    assert all(h.history_user == world.users.purchaser for h in trail)
    assert indicator.version == 2
    # Set again unchanged: no new history row; dropped: a deletion naming who dropped it.
    buyer.post(url, lowered, format="json")
    assert indicator.history.count() == 2
    # A contract keeps at least one target: dropped for another.
    assert buyer.post(url, [], format="json").status_code == 400
    hours = IndicatorTemplate.objects.get(metric="service_hours")
    other = [{"template": hours.pk, "target": "500", "weight": "40"}]
    assert buyer.post(url, other, format="json").status_code == 200
    dropped = ProjectIndicator.history.filter(id=indicator.pk).latest("history_date")
    assert (dropped.history_type, dropped.history_user) == ("-", world.users.purchaser)


def test_staffing_reports_and_scores_are_kept_with_their_author(market):  # noqa: F811
    world = market
    project = contracted(world)
    [commitment] = StaffingCommitment.objects.filter(project=project)
    assert commitment.history.get().history_user == world.users.purchaser
    report = services.progress_report_add(
        project=project,
        actor=world.users.agency_a,
        month=localdate().replace(day=1),
        summary="本月开展入户探访",
    )
    assert ProgressReport.history.get(id=report.pk).history_user == world.users.agency_a
    evaluation = evaluate(world, project, "mid")
    score = Score.objects.filter(evaluation=evaluation).first()
    assert score.history.get().history_user == world.users.evaluator


def test_the_evaluation_sheet_and_grade_rules_have_a_history():
    assert Criterion.history.model.__name__ == "HistoricalCriterion"
    assert GradeRule.history.model.__name__ == "HistoricalGradeRule"


def test_targets_set_against_a_stale_version_of_the_project_are_refused(market):  # noqa: F811
    world = market
    project = contracted(world)
    buyer = api_for(world.users.purchaser)
    current = buyer.get(f"/api/v1/projects/{project.pk}/")["ETag"]
    assert current != '"1"'
    url = f"/api/v1/projects/{project.pk}/set-indicators/"
    template = IndicatorTemplate.objects.get(metric="visits")
    rows = [{"template": template.pk, "target": "200", "weight": "40"}]
    assert buyer.post(url, rows, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert not ProjectIndicator.objects.filter(project=project, template=template).exists()
    assert buyer.post(url, rows, format="json", HTTP_IF_MATCH=current).status_code == 200
