"""A project's indicators, chosen from the district's library."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ProjectIndicator, Stage
from .guards import Errors, managed_step, raise_errors


@transaction.atomic
def indicators_set(*, project, actor, targets) -> list[ProjectIndicator]:
    """The project's indicators from the district library: ``targets`` maps a template to
    (target, weight); a template left out is dropped. Set at contract time or revised."""
    project = managed_step(
        project, actor, Stage.PROCURING, Stage.CONTRACTED, doing=_("set its indicators")
    )
    errors: Errors = {}
    for template, (target, weight) in targets.items():
        if target is None or target <= 0 or weight is None or weight <= 0:
            errors[f"target_{template.pk}"] = [_("Give a positive target and weight.")]
    raise_errors(errors)
    project.indicators.exclude(template__in=list(targets)).delete()
    for template, (target, weight) in targets.items():
        ProjectIndicator.objects.update_or_create(
            project=project, template=template, defaults={"target": target, "weight": weight}
        )
    return list(project.indicators.select_related("template"))
