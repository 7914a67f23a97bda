"""Casework after MZ/T 094-2017: open (接案) → assess (预估) → plan (计划) → intervene
(介入: service records linked to the case) → evaluate (评估) → close (结案), the closure
approved by the station supervisor — never by the worker who asked for it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role
from shegong.access.scoping import grants_of, has_role, in_scope
from shegong.common.services import save_with_history, step_locked
from shegong.divisions.codes import covers
from shegong.network.models import UnitKind

from .models import OPEN_STAGES, Case, CaseEvent, CaseGoal, ClosureReason, Stage
from .selectors import may_carry_case

# What ``case_open`` takes from a form or a request, besides the client.
CASE_OPEN_FIELDS = ["unit", "case_worker", "opened_on", "source", "presenting_problem"]

# Which stages each step may be taken from, and the stage it leads to (None: stays).
STEPS = {
    "assess": ({Stage.INTAKE, Stage.PLANNING, Stage.INTERVENTION}, Stage.PLANNING),
    "plan": ({Stage.PLANNING, Stage.INTERVENTION}, Stage.INTERVENTION),
    "evaluate": ({Stage.INTERVENTION, Stage.EVALUATION}, Stage.EVALUATION),
    "request_closure": (set(OPEN_STAGES), Stage.CLOSING),
    "approve_closure": ({Stage.CLOSING}, Stage.CLOSED),
    "reject_closure": ({Stage.CLOSING}, None),
    "reassign": ({*OPEN_STAGES, Stage.CLOSING}, None),
}


def _check_step(case: Case, step: str) -> None:
    allowed, _target = STEPS[step]
    if case.stage not in allowed:
        raise ValidationError(
            {
                "stage": [
                    _("A case that is at “%(stage)s” cannot take this step.")
                    % {"stage": case.get_stage_display()}
                ]
            }
        )


def _check_date(errors, name, value, not_before=None):
    if value and value > timezone.localdate():
        errors[name] = [_("This date is in the future.")]
    elif value and not_before and value < not_before:
        errors[name] = [_("This date is before the case was opened.")]


def _event(case, kind, actor, note="", on=None):
    CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, note=(note or "")[:200], on=on or timezone.localdate()
    )


def _locked(case: Case) -> Case:
    """The case locked for a step, refused if another step moved its stage since the
    caller read it (compare-and-set on the stage)."""
    return step_locked(case, "stage")


@transaction.atomic
def case_open(
    *,
    actor,
    client,
    unit,
    case_worker,
    opened_on,
    source,
    presenting_problem,
    supervisor=None,
    referral=None,
) -> Case:
    errors: dict[str, list[str]] = {}
    if unit.kind not in (UnitKind.ROOM, UnitKind.STATION):
        errors["unit"] = [_("A case is opened by a social work room or station.")]
    elif actor is not None and not in_scope(actor, unit.division_id):
        errors["unit"] = [_("This is outside your area.")]
    elif not covers(unit.division_id, client.division_id):
        errors["unit"] = [_("The client does not live in this unit's area.")]
    if client.merged_into_id:
        errors["client"] = [_("This record was merged into another; open the case there.")]
    else:
        existing = Case.objects.open().filter(client=client).first()
        if existing:
            errors["client"] = [
                _("This client already has an open case: %(number)s.") % {"number": existing.number}
            ]
    if not may_carry_case(case_worker, unit, opened_on or timezone.localdate()):
        errors["case_worker"] = [_("The case worker is not posted to this unit or its station.")]
    _check_date(errors, "opened_on", opened_on)
    if len((presenting_problem or "").strip()) < 4:
        errors["presenting_problem"] = [_("Describe the problem that brings the client.")]
    if errors:
        raise ValidationError(errors)
    case = save_with_history(
        Case(
            client=client,
            unit=unit,
            case_worker=case_worker,
            supervisor=supervisor,
            opened_on=opened_on,
            source=source,
            presenting_problem=presenting_problem.strip(),
            referral=referral,
            created_by=actor,
        ),
        actor=actor,
    )
    _event(case, CaseEvent.Kind.OPENED, actor, case.get_source_display(), on=opened_on)
    return case


@transaction.atomic
def case_assess(*, case, actor, needs, risk_tier, assessment, assessed_on) -> Case:
    case = _locked(case)
    _check_step(case, "assess")
    errors: dict[str, list[str]] = {}
    if not needs:
        errors["needs"] = [_("Choose at least one area of need.")]
    if len((assessment or "").strip()) < 4:
        errors["assessment"] = [_("Write the assessment.")]
    _check_date(errors, "assessed_on", assessed_on, case.opened_on)
    if errors:
        raise ValidationError(errors)
    case.risk_tier, case.assessment, case.assessed_on = risk_tier, assessment.strip(), assessed_on
    if case.stage == Stage.INTAKE:
        case.stage = Stage.PLANNING
    save_with_history(case, actor=actor)
    case.needs.set(needs)
    _event(case, CaseEvent.Kind.ASSESSED, actor, case.get_risk_tier_display(), on=assessed_on)
    return case


@transaction.atomic
def case_plan(*, case, actor, goals, plan, planned_items, review_on) -> Case:
    """Record or revise the plan. ``goals`` is a list of goal texts; goals kept from the
    last plan keep their rows (and any mark of being met)."""
    case = _locked(case)
    _check_step(case, "plan")
    goals = [g.strip() for g in goals if g and g.strip()]
    errors: dict[str, list[str]] = {}
    if not goals:
        errors["goals"] = [_("Set at least one goal.")]
    elif any(len(g) > 200 for g in goals):
        errors["goals"] = [_("Keep each goal under 200 characters.")]
    if not review_on:
        errors["review_on"] = [_("Set the date the plan is reviewed.")]
    elif review_on < case.opened_on:
        errors["review_on"] = [_("This date is before the case was opened.")]
    if errors:
        raise ValidationError(errors)
    case.plan, case.review_on = (plan or "").strip(), review_on
    case.stage = Stage.INTERVENTION
    save_with_history(case, actor=actor)
    case.planned_items.set(planned_items)
    kept = {g.text: g for g in case.goals.all()}
    for goal in kept.values():
        if goal.text not in goals:
            goal.delete()
    for text in goals:
        if text not in kept:
            CaseGoal.objects.create(case=case, text=text)
    _event(case, CaseEvent.Kind.PLANNED, actor, _("%(n)d goals") % {"n": len(goals)})
    return case


@transaction.atomic
def case_evaluate(*, case, actor, evaluation, evaluated_on, goals_met, satisfaction=None) -> Case:
    """``goals_met`` is the set of goal ids reached; the others are recorded as not met."""
    case = _locked(case)
    _check_step(case, "evaluate")
    errors: dict[str, list[str]] = {}
    if not case.service_records.exists():
        errors["stage"] = [_("Record at least one service for this case before evaluating it.")]
    if len((evaluation or "").strip()) < 4:
        errors["evaluation"] = [_("Write the evaluation.")]
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors["satisfaction"] = [_("Between 1 and 5.")]
    _check_date(errors, "evaluated_on", evaluated_on, case.opened_on)
    goal_ids = {g.pk for g in case.goals.all()}
    if set(goals_met) - goal_ids:
        errors["goals_met"] = [_("Choose goals of this case.")]
    if errors:
        raise ValidationError(errors)
    case.evaluation, case.evaluated_on = evaluation.strip(), evaluated_on
    case.satisfaction = satisfaction
    case.stage = Stage.EVALUATION
    save_with_history(case, actor=actor)
    for goal in case.goals.all():
        goal.met = goal.pk in set(goals_met)
        goal.save(update_fields=["met"])
    met = len(set(goals_met))
    _event(
        case,
        CaseEvent.Kind.EVALUATED,
        actor,
        _("%(met)d of %(all)d goals met") % {"met": met, "all": len(goal_ids)},
        on=evaluated_on,
    )
    return case


@transaction.atomic
def case_request_closure(*, case, actor, reason, note="") -> Case:
    case = _locked(case)
    _check_step(case, "request_closure")
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": [_("Choose a closure reason.")]})
    # A case closes as a success only after it was evaluated; it may end early for others.
    if reason == ClosureReason.GOALS_MET and case.stage != Stage.EVALUATION:
        raise ValidationError(
            {"reason": [_("Evaluate the case before closing it with its goals met.")]}
        )
    if reason == ClosureReason.OTHER and len(note.strip()) < 2:
        raise ValidationError({"note": [_("Say why the case closes.")]})
    case.stage_before_closing = case.stage
    case.stage = Stage.CLOSING
    case.closure_reason, case.closure_note = reason, note.strip()
    case.closure_requested_by = actor
    save_with_history(case, actor=actor)
    _event(case, CaseEvent.Kind.CLOSURE_REQUESTED, actor, case.get_closure_reason_display())
    return case


def can_approve_closure(actor, case) -> bool:
    """The case's supervisor, a station worker over the case's area, or the centre; never
    the person who asked for the closure."""
    if actor is None or case.closure_requested_by_id == actor.pk:
        return False
    if case.supervisor_id == actor.pk:
        return True
    if has_role(actor, Role.DISTRICT_ADMIN) and in_scope(actor, case.unit.division_id):
        return True
    return any(
        g.role == Role.STATION_STAFF
        and g.unit_id
        and g.unit.kind == UnitKind.STATION
        and covers(g.unit.division_id, case.unit.division_id)
        for g in grants_of(actor)
    )


@transaction.atomic
def case_decide_closure(*, case, actor, approve: bool, note="") -> Case:
    case = _locked(case)
    _check_step(case, "approve_closure" if approve else "reject_closure")
    if not can_approve_closure(actor, case):
        raise PermissionDenied(
            _("Closing a case needs the approval of the station supervisor, not the requester.")
        )
    if approve:
        case.stage = Stage.CLOSED
        case.closed_by, case.closed_on = actor, timezone.localdate()
        kind = CaseEvent.Kind.CLOSED
    else:
        if len(note.strip()) < 2:
            raise ValidationError({"note": [_("Say what is still to be done.")]})
        case.stage = case.stage_before_closing or Stage.INTERVENTION
        case.closure_reason, case.closure_requested_by = "", None
        kind = CaseEvent.Kind.CLOSURE_REJECTED
    save_with_history(case, actor=actor)
    _event(case, kind, actor, note)
    return case


@transaction.atomic
def case_transfer(*, referral, actor):
    """A referral accepted by another unit takes the client's open case with it (up to the
    station or centre, or down to a room). The case keeps its worker until the receiving
    unit assigns one of its own (``case_reassign``)."""
    case = (
        Case.objects.select_for_update()
        .open()
        .filter(client_id=referral.client_id, unit_id=referral.from_unit_id)
        .first()
    )
    if case is None:
        return None
    case.unit, case.referral = referral.to_unit, referral
    save_with_history(case, actor=actor)
    _event(case, CaseEvent.Kind.TRANSFERRED, actor, str(referral.to_unit))
    return case


@transaction.atomic
def case_reassign(*, case, actor, case_worker) -> Case:
    case = _locked(case)
    _check_step(case, "reassign")
    if actor is not None and not in_scope(actor, case.unit.division_id):
        raise PermissionDenied(_("Only the unit that holds the case assigns its worker."))
    if not may_carry_case(case_worker, case.unit):
        raise ValidationError(
            {"case_worker": [_("The case worker is not posted to this unit or its station.")]}
        )
    case.case_worker = case_worker
    save_with_history(case, actor=actor)
    _event(case, CaseEvent.Kind.REASSIGNED, actor, case_worker.name)
    return case
