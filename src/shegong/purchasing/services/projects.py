"""The project's own steps: budget approved → procurement → award → contract (execution:
monthly reports) → closed once the final evaluation is in."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.common.services import locked, save_with_history

from ..models import (
    Evaluation,
    EvaluationKind,
    Instalment,
    ProgressReport,
    Project,
    StaffingCommitment,
    Stage,
)
from .guards import (
    Errors,
    check_date,
    ensure_manager,
    is_agency_staff,
    managed_step,
    may_manage,
    raise_errors,
    refuse,
    require_stage,
)
from .indicators import save_targets, target_errors

# What a project is registered with (``project_create``'s keywords); every later field is
# set by a step.
REGISTERED_FIELDS = ["purchaser", "name", "funding_source", "budget_amount", "budget_approved_on"]


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
    ensure_manager(actor, project)
    errors: Errors = {}
    check_date(errors, "budget_approved_on", budget_approved_on)
    raise_errors(errors)
    return save_with_history(project, actor=actor)


@transaction.atomic
def procurement_start(*, project, actor, method, started_on) -> Project:
    project = managed_step(project, actor, Stage.BUDGETED, doing=_("start procurement"))
    errors: Errors = {}
    check_date(
        errors,
        "started_on",
        started_on,
        not_before=project.budget_approved_on,
        too_early=_("Procurement cannot start before the budget is approved."),
    )
    raise_errors(errors)
    project.procurement_method, project.procurement_started_on = method, started_on
    project.stage = Stage.PROCURING
    return save_with_history(project, actor=actor)


@transaction.atomic
def procurement_award(*, project, actor, agency, awarded_on) -> Project:
    project = managed_step(project, actor, Stage.PROCURING, doing=_("award the contract"))
    errors: Errors = {}
    check_date(
        errors,
        "awarded_on",
        awarded_on,
        not_before=project.procurement_started_on,
        too_early=_("The award cannot precede the procurement."),
    )
    if not agency.credit_code:
        errors["agency"] = [_("Record the agency's unified social credit code first.")]
    raise_errors(errors)
    project.agency, project.awarded_on = agency, awarded_on
    return save_with_history(project, actor=actor)


def _contract_errors(
    project, contract_number, contract_amount, start_on, end_on, units, commitments, instalments
) -> Errors:
    errors: Errors = {}
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
    return errors


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
    targets=None,
) -> Project:
    """``commitments``: [(unit, full-time social workers)]; ``instalments``: [(share %,
    "" | "mid" | "final", due date or None)], shares adding up to 100; ``targets``:
    {indicator template: (target, weight)}, or None to keep the indicators set during
    procurement. A contract is signed with at least one target, each on its indicator's
    scale (a satisfaction target of 20 on a 1–5 scale is refused)."""
    project = managed_step(project, actor, Stage.PROCURING, doing=_("sign a contract"))
    if targets is None:
        targets = {
            pi.template: (pi.target, pi.weight)
            for pi in project.indicators.select_related("template")
        }
    errors = _contract_errors(
        project,
        contract_number,
        contract_amount,
        start_on,
        end_on,
        units,
        commitments,
        instalments,
    )
    errors |= target_errors(targets)
    if not targets:
        errors["indicators"] = [_("Set at least one indicator target for the contract.")]
    raise_errors(errors)
    save_targets(project, actor, targets)
    project.contract_number = contract_number.strip()
    project.contract_amount = contract_amount
    project.start_on, project.end_on = start_on, end_on
    project.stage = Stage.CONTRACTED
    save_with_history(project, actor=actor)
    project.units.set(units)
    project.fields.set(fields)
    project.target_groups.set(target_groups)
    for unit, count in commitments:
        save_with_history(
            StaffingCommitment(project=project, unit=unit, full_time=count), actor=actor
        )
    for number, (share, after, due_on) in enumerate(instalments, start=1):
        save_with_history(
            Instalment(project=project, number=number, share=share, after=after, due_on=due_on),
            actor=actor,
        )
    return project


@transaction.atomic
def progress_report_add(*, project, actor, month, summary, problems="") -> ProgressReport:
    project = locked(project)  # under If-Match, refused if the project changed since
    require_stage(project, Stage.CONTRACTED, doing=_("take a progress report"))
    if not (is_agency_staff(actor, project) or may_manage(actor, project)):
        raise PermissionDenied(_("The agency under contract reports its progress."))
    month = month.replace(day=1)
    errors: Errors = {}
    if month < project.start_on.replace(day=1) or month > project.end_on:
        errors["month"] = [_("This month is outside the service period.")]
    elif month > timezone.localdate():
        errors["month"] = [_("This month has not begun.")]
    if ProgressReport.objects.filter(project=project, month=month).exists():
        errors["month"] = [_("This month has a report already.")]
    if len((summary or "").strip()) < 4:
        errors["summary"] = [_("Summarise the month's work.")]
    raise_errors(errors)
    report = ProgressReport(
        project=project,
        month=month,
        summary=summary.strip(),
        problems=problems.strip(),
        submitted_by=actor,
    )
    return save_with_history(report, actor=actor)


def period_over(project: Project, on: datetime.date) -> bool:
    """The service period has reached its end on ``on``, or the contract ended early."""
    return bool(project.terminated_on) or bool(project.end_on and on >= project.end_on)


def end_early(project: Project, errors: Errors, reason: str, on: datetime.date) -> bool:
    """Before the service period is over, a final evaluation or a closure needs the reason
    the contract ends early: set on the project with the day (True: the caller, holding
    the project locked, saves it with its history), or an error on ``termination_reason``."""
    if period_over(project, on):
        return False
    reason = (reason or "").strip()
    if len(reason) < 4:
        errors["termination_reason"] = [
            _(
                "The service period runs until %(end)s: before then, give the reason the "
                "contract ends early."
            )
            % {"end": project.end_on.isoformat()}
        ]
        return False
    project.terminated_on, project.termination_reason = on, reason[:300]
    return True


@transaction.atomic
def project_close(*, project, actor, closed_on, termination_reason="") -> Project:
    """Closed once the final evaluation is in, on or after the end of the service period
    (or earlier, with the reason the contract ends early)."""
    project = managed_step(project, actor, Stage.CONTRACTED, doing=_("be closed"))
    final = project.evaluations.filter(
        kind=EvaluationKind.FINAL, status=Evaluation.Status.SUBMITTED
    ).first()
    if final is None:
        refuse(_("A project closes only after its final evaluation is submitted."))
    errors: Errors = {}
    check_date(errors, "closed_on", closed_on)
    if not errors:
        end_early(project, errors, termination_reason, closed_on)
    raise_errors(errors)
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
