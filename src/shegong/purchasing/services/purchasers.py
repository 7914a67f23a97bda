"""Purchasers: the departments that buy services, registered by the district within its
area."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.access.scoping import can_edit_network, ensure_in_scope
from shegong.common.services import refuse_unknown, save_with_history

from ..models import Purchaser

# What a purchaser's record holds, in display order (the API's and the pages' fields).
PURCHASER_FIELDS = ["name", "kind", "division", "contact_person", "contact_phone"]


def _ensure_editor(actor) -> None:
    if actor is not None and not can_edit_network(actor):
        raise PermissionDenied(_("The district registers purchasers."))


@transaction.atomic
def purchaser_create(
    *, actor, name, kind, division, contact_person="", contact_phone=""
) -> Purchaser:
    _ensure_editor(actor)
    ensure_in_scope(actor, division.code)
    purchaser = Purchaser(
        name=(name or "").strip(),
        kind=kind,
        division=division,
        contact_person=(contact_person or "").strip(),
        contact_phone=(contact_phone or "").strip(),
    )
    return save_with_history(purchaser, actor=actor)


@transaction.atomic
def purchaser_update(*, purchaser: Purchaser, actor, **data) -> Purchaser:
    """Change what ``data`` names; the division only while no project is filed under it."""
    _ensure_editor(actor)
    refuse_unknown(data, PURCHASER_FIELDS)
    purchaser = Purchaser.objects.select_for_update().get(pk=purchaser.pk)
    moved = "division" in data and data["division"].pk != purchaser.division_id
    if moved and purchaser.projects.exists():
        raise ValidationError({"division": [_("Its projects are filed under this division.")]})
    if moved:
        ensure_in_scope(actor, data["division"].code)
    for name, value in data.items():
        setattr(purchaser, name, value.strip() if isinstance(value, str) else value)
    return save_with_history(purchaser, actor=actor)
