"""The checks every project step shares: who may take it, from which stage, on which day."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.models import Role
from shegong.access.scoping import grants_of, has_role, in_scope
from shegong.common.services import step_locked

from ..models import Project

CENT = Decimal("0.01")
Errors = dict[str, list[str]]


def refuse(message: str, field: str = "stage"):
    raise ValidationError({field: [message]})


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def require_stage(project: Project, *stages, doing: str) -> None:
    if project.stage not in stages:
        refuse(
            _("A project that is %(stage)s cannot %(doing)s.")
            % {"stage": project.get_stage_display(), "doing": doing}
        )


def check_date(
    errors: Errors,
    name: str,
    value: datetime.date | None,
    *,
    not_before: datetime.date | None = None,
    too_early: str = "",
) -> None:
    """``value`` is not in the future, nor (with ``too_early`` as the reason) before
    ``not_before``."""
    if value and value > timezone.localdate():
        errors[name] = [_("This date is in the future.")]
    elif value and not_before and value < not_before:
        errors[name] = [too_early]


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


def ensure_manager(actor, project: Project) -> None:
    if not may_manage(actor, project):
        raise PermissionDenied(_("Only the purchasing department or the district manages it."))


def is_agency_staff(actor, project: Project) -> bool:
    return project.agency_id is not None and any(
        g.role == Role.AGENCY_STAFF and g.agency_id == project.agency_id for g in grants_of(actor)
    )


def managed_step(project: Project, actor, *stages, doing: str) -> Project:
    """The project, locked for the step, once the actor may manage it and its stage is
    one of ``stages`` and still the one the caller read (compare-and-set on the stage)."""
    project = step_locked(project, "stage")
    ensure_manager(actor, project)
    require_stage(project, *stages, doing=doing)
    return project
