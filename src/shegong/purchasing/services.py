"""The project lifecycle (R4.3): budget approved → procurement → award → contract
(execution: linked service records, monthly reports) → mid-term and final evaluations →
instalments paid by grade → closed, the result kept on the agency's record.

Every step names the stage it needs; an illegal jump (paying before a contract, closing
without a final evaluation) is refused with a reason on ``stage``."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role
from shegong.access.scoping import grants_of, has_role, in_scope
from shegong.common.services import save_with_history

from .models import (
    Criterion,
    Evaluation,
    EvaluationKind,
    GradeRule,
    Instalment,
    ProgressReport,
    Project,
    StaffingCommitment,
    Stage,
)

CENT = Decimal("0.01")


def _refuse(message: str, field: str = "stage"):
    raise ValidationError({field: [message]})


def _require(project: Project, *stages, doing: str):
    if project.stage not in stages:
        _refuse(
            _("A project that is %(stage)s cannot %(doing)s.")
            % {"stage": project.get_stage_display(), "doing": doing}
        )


def _not_future(errors, name, value):
    if value and value > timezone.localdate():
        errors[name] = [_("This date is in the future.")]


def may_manage(actor, project: Project) -> bool:
    """District administrators for projects bought in their area, a purchasing department
    for its own."""
    if actor is None:
        return True
    if has_role(actor, Role.DISTRICT_ADMIN) and in_scope(actor, project.division_id):
        return True
    return any(
        g.role == Role.PURCHASER and g.purchaser_id == project.purchaser_id
        for g in grants_of(actor)
    )


def _ensure_manager(actor, project):
    if not may_manage(actor, project):
        raise PermissionDenied(_("Only the purchasing department or the district manages it."))


def is_agency_staff(actor, project) -> bool:
    return project.agency_id is not None and any(
        g.role == Role.AGENCY_STAFF and g.agency_id == project.agency_id for g in grants_of(actor)
    )


def _locked(project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def project_create(
    *, actor, purchaser, name, funding_source, budget_amount, budget_approved_on
) -> Project:
    project = Project(
        purchaser=purchaser,
        division_id=purchaser.division_id,
        name=(name or "").strip(),
        funding_source=funding_source,
        budget_amount=budget_amount,
        budget_approved_on=budget_approved_on,
        created_by=actor,
    )
    _ensure_manager(actor, project)
    errors: dict[str, list[str]] = {}
    _not_future(errors, "budget_approved_on", budget_approved_on)
    if errors:
        raise ValidationError(errors)
    return save_with_history(project, actor=actor)


@transaction.atomic
def procurement_start(*, project, actor, method, started_on) -> Project:
    project = _locked(project)
    _ensure_manager(actor, project)
    _require(project, Stage.BUDGETED, doing=_("start procurement"))
    errors: dict[str, list[str]] = {}
    _not_future(errors, "started_on", started_on)
    if started_on and started_on < project.budget_approved_on:
        errors["started_on"] = [_("Procurement cannot start before the budget is approved.")]
    if errors:
        raise ValidationError(errors)
    project.procurement_method, project.procurement_started_on = method, started_on
    project.stage = Stage.PROCURING
    return save_with_history(project, actor=actor)


@transaction.atomic
def procurement_award(*, project, actor, agency, awarded_on) -> Project:
    project = _locked(project)
    _ensure_manager(actor, project)
    _require(project, Stage.PROCURING, doing=_("award the contract"))
    errors: dict[str, list[str]] = {}
    _not_future(errors, "awarded_on", awarded_on)
    if awarded_on and awarded_on < project.procurement_started_on:
        errors["awarded_on"] = [_("The award cannot precede the procurement.")]
    if not agency.credit_code:
        errors["agency"] = [_("Record the agency's unified social credit code first.")]
    if errors:
        raise ValidationError(errors)
    project.agency, project.awarded_on = agency, awarded_on
    return save_with_history(project, actor=actor)


@transaction.atomic
def contract_sign(
    *,
    project,
    actor,
    contract_number,
    contract_amount,
    start_on,
    end_on,
    units,
    fields=(),
    target_groups=(),
    commitments=(),
    instalments=(),
) -> Project:
    """``commitments``: [(unit, full-time social workers)]; ``instalments``: [(share %,
    "" | "mid" | "final", due date or None)], shares adding up to 100."""
    project = _locked(project)
    _ensure_manager(actor, project)
    _require(project, Stage.PROCURING, doing=_("sign a contract"))
    errors: dict[str, list[str]] = {}
    if project.agency_id is None:
        errors["stage"] = [_("Award the contract to an agency before signing it.")]
    if not (contract_number or "").strip():
        errors["contract_number"] = [_("This field is required.")]
    if contract_amount is None or contract_amount <= 0:
        errors["contract_amount"] = [_("Give the contract amount.")]
    elif contract_amount > project.budget_amount:
        errors["contract_amount"] = [_("The contract amount exceeds the approved budget.")]
    if not (start_on and end_on) or end_on <= start_on:
        errors["end_on"] = [_("The service period must end after it starts.")]
    elif project.awarded_on and start_on < project.awarded_on:
        errors["start_on"] = [_("The service cannot start before the award.")]
    outside = [u.name for u in units if not u.division_id.startswith(project.division_id)]
    if not units:
        errors["units"] = [_("Name the units the contract covers.")]
    elif outside:
        errors["units"] = [_("Outside the purchaser's area: %s") % "、".join(outside)]
    covered = {u.pk for u in units}
    if any(unit.pk not in covered or count < 1 for unit, count in commitments):
        errors["commitments"] = [_("Commit staff only at covered units, at least one each.")]
    shares = [Decimal(str(share)) for share, _after, _due in instalments]
    if not instalments or sum(shares) != Decimal("100") or any(s <= 0 for s in shares):
        errors["instalments"] = [_("The instalments' shares must add up to 100%.")]
    if errors:
        raise ValidationError(errors)
    project.contract_number = contract_number.strip()
    project.contract_amount = contract_amount
    project.start_on, project.end_on = start_on, end_on
    project.stage = Stage.CONTRACTED
    save_with_history(project, actor=actor)
    project.units.set(units)
    project.fields.set(fields)
    project.target_groups.set(target_groups)
    StaffingCommitment.objects.bulk_create(
        StaffingCommitment(project=project, unit=unit, full_time=count)
        for unit, count in commitments
    )
    for number, (share, after, due_on) in enumerate(instalments, start=1):
        save_with_history(
            Instalment(project=project, number=number, share=share, after=after, due_on=due_on),
            actor=actor,
        )
    return project


@transaction.atomic
def indicators_set(*, project, actor, targets) -> list:
    """The project's indicators from the district library: ``targets`` maps a template to
    (target, weight); a template left out is dropped. Set at contract time or revised."""
    from .models import ProjectIndicator

    _ensure_manager(actor, project)
    _require(project, Stage.PROCURING, Stage.CONTRACTED, doing=_("set its indicators"))
    errors: dict[str, list[str]] = {}
    for template, (target, weight) in targets.items():
        if target is None or target <= 0 or weight is None or weight <= 0:
            errors[f"target_{template.pk}"] = [_("Give a positive target and weight.")]
    if errors:
        raise ValidationError(errors)
    project.indicators.exclude(template__in=list(targets)).delete()
    for template, (target, weight) in targets.items():
        ProjectIndicator.objects.update_or_create(
            project=project, template=template, defaults={"target": target, "weight": weight}
        )
    return list(project.indicators.select_related("template"))


@transaction.atomic
def progress_report_add(*, project, actor, month, summary, problems="") -> ProgressReport:
    _require(project, Stage.CONTRACTED, doing=_("take a progress report"))
    if not (is_agency_staff(actor, project) or may_manage(actor, project)):
        raise PermissionDenied(_("The agency under contract reports its progress."))
    month = month.replace(day=1)
    errors: dict[str, list[str]] = {}
    if month < project.start_on.replace(day=1) or month > project.end_on:
        errors["month"] = [_("This month is outside the service period.")]
    elif month > timezone.localdate():
        errors["month"] = [_("This month has not begun.")]
    if ProgressReport.objects.filter(project=project, month=month).exists():
        errors["month"] = [_("This month has a report already.")]
    if len((summary or "").strip()) < 4:
        errors["summary"] = [_("Summarise the month's work.")]
    if errors:
        raise ValidationError(errors)
    report = ProgressReport(
        project=project,
        month=month,
        summary=summary.strip(),
        problems=problems.strip(),
        submitted_by=actor,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def evaluation_assign(*, project, actor, kind, evaluator, evaluator_body) -> Evaluation:
    project = _locked(project)
    _ensure_manager(actor, project)
    _require(project, Stage.CONTRACTED, doing=_("be evaluated"))
    errors: dict[str, list[str]] = {}
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
    if errors:
        raise ValidationError(errors)
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


def payable_share(grade: str) -> Decimal:
    rule = GradeRule.objects.filter(grade=grade).first()
    return rule.payable_share if rule else Decimal("100")


@transaction.atomic
def evaluation_score(*, evaluation, actor, scores, comments="", submit=False) -> Evaluation:
    """``scores``: {criterion id: (points, comment)}. Saves a draft; ``submit`` fixes the
    total and the grade, after which nothing changes."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.evaluator_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assigned evaluator scores this evaluation."))
    if evaluation.status == Evaluation.Status.SUBMITTED:
        _refuse(_("This evaluation has been submitted; it can no longer change."), "status")
    criteria = {c.pk: c for c in Criterion.objects.filter(is_active=True)}
    errors: dict[str, list[str]] = {}
    for criterion_id, (points, _comment) in scores.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors["scores"] = [_("Score the criteria of the evaluation sheet.")]
        elif points is None or not Decimal("0") <= Decimal(str(points)) <= criterion.weight:
            errors[f"score_{criterion.pk}"] = [
                _("Between 0 and %(max)s points.") % {"max": criterion.weight}
            ]
    if errors:
        raise ValidationError(errors)
    for criterion_id, (points, comment) in scores.items():
        evaluation.scores.update_or_create(
            criterion_id=int(criterion_id),
            defaults={"points": Decimal(str(points)), "comment": (comment or "")[:300]},
        )
    evaluation.comments = (comments or "").strip()
    if submit:
        missing = set(criteria) - set(evaluation.scores.values_list("criterion_id", flat=True))
        if missing:
            _refuse(_("Score every criterion before submitting."), "scores")
        total = sum(s.points for s in evaluation.scores.filter(criterion__is_active=True))
        evaluation.score = Decimal(total).quantize(CENT)
        evaluation.grade = grade_for(evaluation.score)
        evaluation.status = Evaluation.Status.SUBMITTED
        evaluation.submitted_at = timezone.now()
    return save_with_history(evaluation, actor=actor)


@transaction.atomic
def evidence_add(*, evaluation, actor, upload):
    """A file the evaluator relies on (photos of the site, signed sheets, PDFs): checked
    like a service record's attachments and kept through Django's storage API."""
    from shegong.records.services import check_upload

    from .models import Evidence

    if evaluation.evaluator_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assigned evaluator adds evidence."))
    if evaluation.status == Evaluation.Status.SUBMITTED:
        _refuse(_("This evaluation has been submitted; it can no longer change."), "status")
    check_upload(upload)
    evidence = Evidence(evaluation=evaluation, file=upload, size=upload.size, uploaded_by=actor)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evaluation_respond(*, evaluation, actor, response) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not is_agency_staff(actor, evaluation.project):
        raise PermissionDenied(_("Only the agency under contract responds."))
    if evaluation.status != Evaluation.Status.SUBMITTED:
        _refuse(_("The agency responds once the evaluation is submitted."), "status")
    if len((response or "").strip()) < 2:
        raise ValidationError({"response": [_("Write the response.")]})
    evaluation.agency_response, evaluation.responded_at = response.strip(), timezone.now()
    return save_with_history(evaluation, actor=actor)


def instalment_payable(instalment: Instalment) -> tuple[Decimal | None, str]:
    """(amount payable now, why) — None while its condition is not met."""
    amount = instalment.amount.quantize(CENT, ROUND_HALF_UP)
    if not instalment.after:
        return amount, ""
    # Reads the project's evaluations through .all(), so a prefetch serves a whole ledger.
    evaluation = next(
        (
            e
            for e in instalment.project.evaluations.all()
            if e.kind == instalment.after and e.status == Evaluation.Status.SUBMITTED
        ),
        None,
    )
    if evaluation is None:
        return None, _("waits for the %(kind)s") % {"kind": EvaluationKind(instalment.after).label}
    share = payable_share(evaluation.grade)
    note = (
        _("%(grade)s: %(share)s%% payable")
        % {"grade": evaluation.get_grade_display(), "share": f"{share.normalize():f}"}
        if share < 100
        else ""
    )
    return (amount * share / 100).quantize(CENT, ROUND_HALF_UP), note


@transaction.atomic
def instalment_pay(*, instalment, actor, paid_on, amount=None) -> Instalment:
    instalment = (
        Instalment.objects.select_for_update().select_related("project").get(pk=instalment.pk)
    )
    project = instalment.project
    _ensure_manager(actor, project)
    if project.stage != Stage.CONTRACTED:
        _require(project, Stage.CONTRACTED, doing=_("pay an instalment"))
    if instalment.paid_on:
        _refuse(_("This instalment has been paid."), "instalment")
    payable, note = instalment_payable(instalment)
    if payable is None:
        _refuse(_("Not payable yet: it %(why)s.") % {"why": note}, "instalment")
    errors: dict[str, list[str]] = {}
    _not_future(errors, "paid_on", paid_on)
    amount = payable if amount is None else Decimal(str(amount)).quantize(CENT)
    if amount <= 0 or amount > payable:
        errors["amount"] = [
            _("Between 0.01 and the payable %(payable)s yuan.") % {"payable": payable}
        ]
    if errors:
        raise ValidationError(errors)
    instalment.paid_amount, instalment.paid_on = amount, paid_on
    instalment.withheld_note = note
    return save_with_history(instalment, actor=actor)


@transaction.atomic
def project_close(*, project, actor, closed_on) -> Project:
    project = _locked(project)
    _ensure_manager(actor, project)
    _require(project, Stage.CONTRACTED, doing=_("be closed"))
    final = project.evaluations.filter(
        kind=EvaluationKind.FINAL, status=Evaluation.Status.SUBMITTED
    ).first()
    if final is None:
        _refuse(_("A project closes only after its final evaluation is submitted."))
    errors: dict[str, list[str]] = {}
    _not_future(errors, "closed_on", closed_on)
    if errors:
        raise ValidationError(errors)
    project.stage, project.closed_on = Stage.CLOSED, closed_on
    project.final_grade, project.final_score = final.grade, final.score
    return save_with_history(project, actor=actor)


def contract_elapsed(project: Project, today: datetime.date | None = None) -> float:
    """The share of the service period gone by (0–1)."""
    if not (project.start_on and project.end_on):
        return 0.0
    today = today or timezone.localdate()
    span = (project.end_on - project.start_on).days or 1
    return min(1.0, max(0.0, (today - project.start_on).days / span))
