"""The evaluation sheet: the evaluator scores it (with the project's figures as evidence
and files of its own), the agency responds once it is submitted."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.common.exports import export_filename

from .. import indicators, selectors, services
from ..exports import logged_sheet, project_header
from ..forms import EvidenceForm, RespondForm
from ..models import Criterion, Evaluation, Metric
from .base import post_back


def _evidence(evaluation) -> dict[str, dict]:
    """Each metric's computed value (and its target, where the project sets one)."""
    [row] = indicators.board([evaluation.project])
    targets = {f.metric: f.target for f in row.figures if not f.group_id}
    return {
        metric: {
            "name": Metric(metric).label,
            "value": value,
            "target": targets.get(metric),
            "metric": metric,
        }
        for metric, value in row.values.items()
    }


def _posted_scores(post, criteria) -> tuple[dict, dict]:
    """({criterion id: (points, comment)}, errors) from the sheet; empty points are left out."""
    scores, errors = {}, {}
    for c in criteria:
        raw = post.get(f"points_{c.pk}", "").strip()
        if raw == "":
            continue
        try:
            scores[c.pk] = (Decimal(raw), post.get(f"comment_{c.pk}", ""))
        except InvalidOperation:
            errors[f"score_{c.pk}"] = [_("Enter a number.")]
    return scores, errors


def _score(request, evaluation, criteria) -> dict:
    """Save the posted sheet; the errors to show, none once it is saved."""
    scores, errors = _posted_scores(request.POST, criteria)
    if errors:
        return errors
    try:
        services.evaluation_score(
            evaluation=evaluation,
            actor=request.user,
            scores=scores,
            comments=request.POST.get("comments", ""),
            submit="submit" in request.POST,
        )
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _sheet_workbook(request, evaluation, criteria, scores):
    headers = [_("dimension"), _("criterion"), _("full marks"), _("points"), _("comment")]
    rows = [
        [
            c.get_dimension_display(),
            c.name,
            c.weight,
            scores[c.pk].points if c.pk in scores else "",
            scores[c.pk].comment if c.pk in scores else "",
        ]
        for c in criteria
    ]
    rows.append([_("total"), "", sum(c.weight for c in criteria), evaluation.score, ""])
    rows.append([_("grade"), evaluation.get_grade_display(), "", "", evaluation.comments])
    project = evaluation.project
    submitted = evaluation.submitted_at
    return logged_sheet(
        user=request.user,
        object_type="evaluation",
        title=_("Evaluation sheet"),
        header=[
            *project_header(project),
            (_("Evaluation"), evaluation.get_kind_display()),
            (_("Evaluating body"), evaluation.evaluator_body),
            (_("Submitted on"), f"{timezone.localtime(submitted):%Y-%m-%d}" if submitted else ""),
        ],
        headers=headers,
        rows=rows,
        filename=export_filename(_("Evaluation sheet"), evaluation.project.name),
        filters={"evaluation": evaluation.pk, "project": evaluation.project_id},
    )


def _sheet_lines(request, evaluation, criteria, scores, errors) -> list[dict]:
    evidence = _evidence(evaluation)
    posted = request.POST if request.method == "POST" else {}
    return [
        {
            "criterion": c,
            "score": scores.get(c.pk),
            "posted": posted.get(f"points_{c.pk}"),
            "error": (errors.get(f"score_{c.pk}") or [""])[0],
            "evidence": evidence.get(c.indicator),
        }
        for c in criteria
    ]


@scoped_page
def evaluation_detail(request, pk):
    evaluation = selectors.evaluation_get(request.user, pk)
    criteria = list(Criterion.objects.filter(is_active=True))
    editable = (
        evaluation.evaluator_id == request.user.pk
        and evaluation.status == Evaluation.Status.ASSIGNED
    )
    errors = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        errors = _score(request, evaluation, criteria)
        if not errors:
            messages.success(request, _("The scores have been saved."))
            return redirect("purchasing:evaluation-detail", pk=pk)
    scores = {s.criterion_id: s for s in evaluation.scores.all()}
    if request.GET.get("export") == "xlsx":
        return _sheet_workbook(request, evaluation, criteria, scores)
    return render(
        request,
        "purchasing/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "lines": _sheet_lines(request, evaluation, criteria, scores, errors),
            "editable": editable,
            "errors": [m for k, ms in errors.items() if not k.startswith("score_") for m in ms],
            "can_respond": services.is_agency_staff(request.user, evaluation.project)
            and evaluation.status == Evaluation.Status.SUBMITTED,
            "respond_form": RespondForm(),
            "evidence": evaluation.evidence.all(),
        },
        status=400 if errors else 200,
    )


@require_POST
@scoped_page
def evaluation_respond(request, pk):
    evaluation = selectors.evaluation_get(request.user, pk)
    return post_back(
        request,
        RespondForm(request.POST),
        lambda data: services.evaluation_respond(evaluation=evaluation, actor=request.user, **data),
        _("Your response has been recorded."),
        reverse("purchasing:evaluation-detail", args=[pk]),
    )


@require_POST
@scoped_page
def evidence_add(request, pk):
    evaluation = selectors.evaluation_get(request.user, pk)
    return post_back(
        request,
        EvidenceForm(request.POST, request.FILES),
        lambda data: services.evidence_add(
            evaluation=evaluation, actor=request.user, upload=data["file"]
        ),
        _("The evidence has been added."),
        reverse("purchasing:evaluation-detail", args=[pk]),
    )


@scoped_page
def evidence_download(request, pk, evidence_id):
    from shegong.common.views import file_download

    evaluation = selectors.evaluation_get(request.user, pk)
    return file_download(get_object_or_404(evaluation.evidence, pk=evidence_id).file)
