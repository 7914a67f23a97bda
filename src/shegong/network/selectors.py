"""Reads of the service network, always through the user's scope."""

from django.db.models import Count, Q

from shegong.common.filters import filter_given

from .models import Unit, UnitKind


def units_for(user):
    return Unit.objects.visible_to(user).select_related("division", "agency", "head")


def unit_get(user, pk) -> Unit:
    """The unit if the user may see it; a missing and an out-of-scope unit both 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(units_for(user), pk=pk)


def unit_search(user, *, q="", kind="", status="", town=""):
    qs = units_for(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(division__name__icontains=q) | Q(division_id=q))
    return filter_given(qs, kind=kind, status=status, division__code__startswith=town)


def unit_counts(user) -> dict:
    return (
        units_for(user)
        .live()
        .aggregate(
            centers=Count("id", filter=Q(kind=UnitKind.CENTER)),
            stations=Count("id", filter=Q(kind=UnitKind.STATION)),
            rooms=Count("id", filter=Q(kind=UnitKind.ROOM)),
            operating=Count("id", filter=Q(operating_on__isnull=False)),
        )
    )


def towns_for(user):
    """Towns wholly inside the user's scope, for filter menus."""
    from shegong.access.scoping import filter_by_scope
    from shegong.divisions.models import Division, Level

    return filter_by_scope(Division.objects.at_level(Level.TOWN), user, "code").order_by("code")


def unit_choices(user, q: str = "", within: str = ""):
    """Live units for a searchable select: by name or the place's name."""
    qs = Unit.objects.visible_to(user).live().select_related("division")
    if within:
        qs = qs.filter(division__code__startswith=within)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(division__name__icontains=q))
    return qs.order_by("division_id")


def villages_for(user):
    """Villages (and communities) wholly inside the user's scope."""
    from shegong.access.scoping import filter_by_scope
    from shegong.divisions.models import Division, Level

    return filter_by_scope(Division.objects.at_level(Level.VILLAGE), user, "code")


def village_choices(user, q: str = "", within: str = ""):
    """Villages for a searchable select: by name or code, with their town."""
    qs = villages_for(user).select_related("parent")
    if within:
        qs = qs.filter(code__startswith=within)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.order_by("code")
