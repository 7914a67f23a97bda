"""A project's indicators, chosen from the district's library."""

from django.db import transaction
from django.utils.translation import gettext as _

from shegong.common.services import save_with_history

from ..models import ProjectIndicator, Stage
from .guards import Errors, managed_step, raise_errors


@transaction.atomic
def indicators_set(*, project, actor, targets) -> list[ProjectIndicator]:
    """The project's indicators from the district library: ``targets`` maps a template to
    (target, weight); a template left out is dropped. Set at contract time or revised: every
    change (a target lowered after the mid-term evaluation) is kept in the indicator's
    history with who made it."""
    project = managed_step(
        project, actor, Stage.PROCURING, Stage.CONTRACTED, doing=_("set its indicators")
    )
    errors: Errors = {}
    for template, (target, weight) in targets.items():
        if target is None or target <= 0 or weight is None or weight <= 0:
            errors[f"target_{template.pk}"] = [_("Give a positive target and weight.")]
    raise_errors(errors)
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
    return list(project.indicators.select_related("template"))
