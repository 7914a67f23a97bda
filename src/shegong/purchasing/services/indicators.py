"""A project's indicators, chosen from the district's library."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from shegong.common.services import save_with_history

from ..models import ProjectIndicator, Stage
from .guards import Errors, managed_step, raise_errors


def _number(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def target_errors(targets) -> Errors:
    """``targets`` ({template: (target, weight)}) checked against each template's scale:
    a positive target within [target_min, target_max] (whole where the indicator counts),
    a weight above 0 and at most 100. Keys ``target_<template id>`` and
    ``weight_<template id>``; every message names the indicator."""
    errors: Errors = {}
    for template, (target, weight) in targets.items():
        low, high = template.target_min, template.target_max
        if target is None:
            errors[f"target_{template.pk}"] = [
                _("%(indicator)s: give a target.") % {"indicator": template.name}
            ]
        elif target <= 0 or target < low or (high is not None and target > high):
            names = {"indicator": template.name, "low": _number(low)}
            if high is not None:
                names["high"] = _number(high)
                message = (
                    _("%(indicator)s: the target is between %(low)s and %(high)s.")
                    if low > 0
                    else _("%(indicator)s: the target is above 0 and at most %(high)s.")
                )
            else:
                message = (
                    _("%(indicator)s: the target is at least %(low)s.")
                    if low > 0
                    else _("%(indicator)s: give a target above 0.")
                )
            message = message % names
            errors[f"target_{template.pk}"] = [message]
        elif template.whole_number and Decimal(target) != Decimal(target).to_integral_value():
            errors[f"target_{template.pk}"] = [
                _("%(indicator)s: the target is a whole number.") % {"indicator": template.name}
            ]
        if weight is None or weight <= 0 or weight > 100:
            errors[f"weight_{template.pk}"] = [
                _("%(indicator)s: the weight is above 0 and at most 100.")
                % {"indicator": template.name}
            ]
    return errors


def save_targets(project, actor, targets) -> None:
    """Write ``targets`` (already checked) as the project's indicators: a template left out
    is dropped, a change kept in the indicator's history with who made it."""
    for dropped in project.indicators.select_for_update().exclude(template__in=list(targets)):
        dropped._history_user = actor
        dropped.delete()
    current = {i.template_id: i for i in project.indicators.select_for_update()}
    for template, (target, weight) in targets.items():
        indicator = current.get(template.pk) or ProjectIndicator(project=project, template=template)
        if indicator.pk and (indicator.target, indicator.weight) == (target, weight):
            continue
        indicator.target, indicator.weight = target, weight
        save_with_history(indicator, actor=actor)


@transaction.atomic
def indicators_set(*, project, actor, targets) -> list[ProjectIndicator]:
    """The project's indicators from the district library: ``targets`` maps a template to
    (target, weight); a template left out is dropped. Set at contract time or revised: every
    change (a target lowered after the mid-term evaluation) is kept in the indicator's
    history with who made it. A contracted project keeps at least one indicator."""
    project = managed_step(
        project, actor, Stage.PROCURING, Stage.CONTRACTED, doing=_("set its indicators")
    )
    errors = target_errors(targets)
    if not targets and project.stage == Stage.CONTRACTED:
        errors["indicators"] = [_("A contract is measured by at least one indicator target.")]
    raise_errors(errors)
    save_targets(project, actor, targets)
    return list(project.indicators.select_related("template"))
