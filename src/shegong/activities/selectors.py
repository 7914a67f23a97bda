from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404

from .models import Activity


def activities_for(user):
    return Activity.objects.visible_to(user).select_related("unit", "field", "leader")


def with_totals(qs):
    """Sessions held and head-count (registered attendances plus other residents)."""
    # Annotations read no manager: voided sessions are left out here by hand.
    live = Q(service_records__voided_at=None)
    return qs.annotate(
        sessions=Count("service_records", distinct=True, filter=live),
        others=Sum("service_records__other_participants", filter=live),
    ).order_by("-start_on", "-id")  # a GROUP BY drops the default ordering


def activity_get(user, pk) -> Activity:
    return get_object_or_404(
        activities_for(user).prefetch_related("members", "target_groups"), pk=pk
    )


def sessions(activity):
    return (
        activity.service_records.order_by("served_on", "id")
        .prefetch_related("clients", "workers")
        .annotate(attended=Count("clients"))
    )


def attendance(activity) -> dict:
    records = activity.service_records.all()
    registered = records.aggregate(
        n=Count("clients", filter=Q(clients__isnull=False)),
        people=Count("clients", distinct=True),
    )
    others = records.aggregate(n=Sum("other_participants"))["n"] or 0
    return {
        "sessions": records.count(),
        "attendances": registered["n"] + others,
        "registered_people": registered["people"],
        "other_residents": others,
    }
