"""Instalments: payable once their condition is met, in the share the evaluation's grade
allows."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from shegong.common.services import save_with_history

from ..models import Evaluation, EvaluationKind, GradeRule, Instalment, Stage
from .guards import CENT, Errors, check_date, ensure_manager, raise_errors, refuse, require_stage


def payable_share(grade: str) -> Decimal:
    rule = GradeRule.objects.filter(grade=grade).first()
    return rule.payable_share if rule else Decimal("100")


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


def delivery_lag(project) -> tuple[float, float] | None:
    """(delivery, share of the period gone) while the weighted delivery lags the time
    elapsed by more than ten points (the board's "behind schedule"), else None."""
    from ..indicators import board

    [row] = board([project])
    return (row.delivery, row.elapsed) if row.behind_schedule else None


def needs_override(instalment: Instalment) -> tuple[float, float] | None:
    """Paying ``instalment`` goes beyond the advance (the instalments payable on signing)
    while delivery lags: the (delivery, elapsed) that calls for an override, else None."""
    if not instalment.after or instalment.paid_on:
        return None
    return delivery_lag(instalment.project)


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


@transaction.atomic
def instalment_pay(*, instalment, actor, paid_on, amount=None, override_reason="") -> Instalment:
    """Pay what the instalment's condition and grade allow. Beyond the advance, while
    delivery lags the time elapsed, only with ``override_reason`` (kept on the instalment,
    in its history, and shown on the project)."""
    instalment = (
        Instalment.objects.select_for_update().select_related("project").get(pk=instalment.pk)
    )
    project = instalment.project
    ensure_manager(actor, project)
    require_stage(project, Stage.CONTRACTED, doing=_("pay an instalment"))
    if instalment.paid_on:
        refuse(_("This instalment has been paid."), "instalment")
    payable, note = instalment_payable(instalment)
    if payable is None:
        refuse(_("Not payable yet: it %(why)s.") % {"why": note}, "instalment")
    errors: Errors = {}
    check_date(errors, "paid_on", paid_on)
    lag = needs_override(instalment)
    override_reason = (override_reason or "").strip()
    if lag and len(override_reason) < 4:
        errors["override_reason"] = [
            _(
                "Delivery (%(delivery)s of targets) lags the time elapsed (%(elapsed)s): paying "
                "beyond the advance needs the reason for the override."
            )
            % {"delivery": _percent(lag[0]), "elapsed": _percent(lag[1])}
        ]
    amount = payable if amount is None else Decimal(str(amount)).quantize(CENT)
    if amount <= 0 or amount > payable:
        errors["amount"] = [
            _("Between 0.01 and the payable %(payable)s yuan.") % {"payable": payable}
        ]
    raise_errors(errors)
    instalment.paid_amount, instalment.paid_on = amount, paid_on
    instalment.withheld_note = note
    instalment.override_reason = override_reason[:300] if lag else ""
    return save_with_history(instalment, actor=actor)
