"""Who a message goes to: the accounts holding a role on a unit (asked of the role grants,
so this app needs no domain model)."""

from django.contrib.auth import get_user_model

from shegong.access.models import Role, RoleGrant
from shegong.divisions.codes import town_of


def unit_staff(unit_ids, roles=None) -> list:
    """Active accounts with a grant on any of these units (of these roles)."""
    grants = RoleGrant.objects.filter(unit_id__in=list(unit_ids))
    if roles:
        grants = grants.filter(role__in=list(roles))
    return list(
        get_user_model()
        .objects.filter(is_active=True, pk__in=grants.values("user_id"))
        .order_by("pk")
    )


def station_supervisors(division_code: str) -> tuple[list, int | None]:
    """The station staff over a division code, and their station's unit id."""
    grants = RoleGrant.objects.filter(
        role=Role.STATION_STAFF,
        unit__division_id=town_of(division_code),
        unit__kind="station",
        unit__closed_on__isnull=True,
    )
    unit_id = grants.values_list("unit_id", flat=True).first()
    users = list(
        get_user_model()
        .objects.filter(is_active=True, pk__in=grants.values("user_id"))
        .order_by("pk")
    )
    return users, unit_id
