from django.db.models import Q
from django.shortcuts import get_object_or_404

from shegong.access.scoping import unit_ids

from .models import Referral, Status


def referrals_for(user):
    return Referral.objects.visible_to(user).select_related(
        "client", "client__division", "from_unit", "to_unit", "created_by"
    )


def referral_get(user, pk) -> Referral:
    return get_object_or_404(referrals_for(user), pk=pk)


def inbox(user):
    """Pending referrals addressed to a unit the user works in (most urgent first)."""
    units = unit_ids(user)
    return (
        referrals_for(user)
        .filter(status=Status.PENDING)
        .filter(Q(to_unit_id__in=units) | Q(to_unit=None, from_unit_id__in=units))
        .order_by("due_at")
    )


def outbox(user):
    """Pending referrals to another unit sent from a unit the user works in, or by the user
    (nearest deadline first): the other half of what waits on them."""
    units = unit_ids(user)
    return (
        referrals_for(user)
        .filter(status=Status.PENDING)
        .filter(Q(from_unit_id__in=units) | Q(created_by=user))
        .exclude(to_unit=None)
        .order_by("due_at")
    )
