"""Evaluations: assigned by the purchaser, scored by the evaluator against the district's
sheet (the total fixes the grade), answered by the agency."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role
from shegong.access.scoping import has_role
from shegong.common.services import locked, save_with_history

from ..models import Criterion, Evaluation, EvaluationKind, Evidence, GradeRule, Score, Stage
from .guards import CENT, Errors, is_agency_staff, managed_step, raise_errors, refuse
from .projects import end_early


@transaction.atomic
def evaluation_assign(
    *, project, actor, kind, evaluator, evaluator_body, termination_reason=""
) -> Evaluation:
    """A final evaluation waits for the submitted mid-term one and for the end of the
    service period, unless the contract ends early (``termination_reason``, recorded on
    the project)."""
    project = managed_step(project, actor, Stage.CONTRACTED, doing=_("be evaluated"))
    errors: Errors = {}
    if not has_role(evaluator, Role.EVALUATOR):
        errors["evaluator"] = [_("Choose an account with the evaluator role.")]
    if project.evaluations.filter(kind=kind).exists():
        errors["kind"] = [_("This evaluation has been assigned already.")]
    if (
        kind == EvaluationKind.FINAL
        and not project.evaluations.filter(
            kind=EvaluationKind.MID, status=Evaluation.Status.SUBMITTED
        ).exists()
    ):
        errors["kind"] = [_("The final evaluation follows a submitted mid-term evaluation.")]
    ended_early = kind == EvaluationKind.FINAL and end_early(
        project, errors, termination_reason, timezone.localdate()
    )
    raise_errors(errors)
    if ended_early:
        save_with_history(project, actor=actor)
    return save_with_history(
        Evaluation(project=project, kind=kind, evaluator=evaluator, evaluator_body=evaluator_body),
        actor=actor,
    )


def grade_for(score: Decimal) -> str:
    rules = list(GradeRule.objects.order_by("-min_score"))
    for rule in rules:
        if score >= rule.min_score:
            return rule.grade
    return rules[-1].grade if rules else ""


def _ensure_open_to(evaluation: Evaluation, actor, refusal: str) -> None:
    """Only the assigned evaluator changes an evaluation, and only until it is submitted."""
    if evaluation.evaluator_id != getattr(actor, "pk", None):
        raise PermissionDenied(refusal)
    if evaluation.status == Evaluation.Status.SUBMITTED:
        refuse(_("This evaluation has been submitted; it can no longer change."), "status")


@transaction.atomic
def evaluation_score(*, evaluation, actor, scores, comments="", submit=False) -> Evaluation:
    """``scores``: {criterion id: (points, comment)}. Saves a draft; ``submit`` fixes the
    total and the grade, after which nothing changes."""
    evaluation = locked(evaluation)
    _ensure_open_to(evaluation, actor, _("Only the assigned evaluator scores this evaluation."))
    criteria = {c.pk: c for c in Criterion.objects.filter(is_active=True)}
    errors: Errors = {}
    for criterion_id, (points, _comment) in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors["scores"] = [_("Score the criteria of the evaluation sheet.")]
        elif points is None or not Decimal("0") <= Decimal(str(points)) <= criterion.weight:
            errors[f"score_{criterion.pk}"] = [
                _("Between 0 and %(max)s points.") % {"max": criterion.weight}
            ]
    raise_errors(errors)
    stored = {s.criterion_id: s for s in evaluation.scores.select_for_update()}
    for criterion_id, (points, comment) in scores.items():
        score = stored.get(int(criterion_id)) or Score(
            evaluation=evaluation, criterion_id=int(criterion_id)
        )
        new = (Decimal(str(points)), (comment or "")[:300])
        if score.pk and (score.points, score.comment) == new:
            continue
        score.points, score.comment = new
        save_with_history(score, actor=actor)  # a score changed keeps its history
    evaluation.comments = (comments or "").strip()
    if submit:
        missing = set(criteria) - set(evaluation.scores.values_list("criterion_id", flat=True))
        if missing:
            refuse(_("Score every criterion before submitting."), "scores")
        total = sum(s.points for s in evaluation.scores.filter(criterion__is_active=True))
        evaluation.score = Decimal(total).quantize(CENT)
        evaluation.grade = grade_for(evaluation.score)
        evaluation.status = Evaluation.Status.SUBMITTED
        evaluation.submitted_at = timezone.now()
    return save_with_history(evaluation, actor=actor)


@transaction.atomic
def evidence_add(*, evaluation, actor, upload) -> Evidence:
    """A file the evaluator relies on (photos of the site, signed sheets, PDFs): checked
    like a service record's attachments and kept through Django's storage API."""
    from shegong.records.services import check_upload

    evaluation = locked(evaluation)
    _ensure_open_to(evaluation, actor, _("Only the assigned evaluator adds evidence."))
    check_upload(upload)
    evidence = Evidence(evaluation=evaluation, file=upload, size=upload.size, uploaded_by=actor)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evaluation_respond(*, evaluation, actor, response) -> Evaluation:
    evaluation = locked(evaluation)
    if not is_agency_staff(actor, evaluation.project):
        raise PermissionDenied(_("Only the agency under contract responds."))
    if evaluation.status != Evaluation.Status.SUBMITTED:
        refuse(_("The agency responds once the evaluation is submitted."), "status")
    if len((response or "").strip()) < 2:
        raise ValidationError({"response": [_("Write the response.")]})
    evaluation.agency_response, evaluation.responded_at = response.strip(), timezone.now()
    return save_with_history(evaluation, actor=actor)
