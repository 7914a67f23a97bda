from django.shortcuts import get_object_or_404

from shegong.common.filters import filter_given

from .models import ServiceRecord


def records_for(user):
    return ServiceRecord.objects.visible_to(user).select_related("unit", "field", "created_by")


def record_get(user, pk) -> ServiceRecord:
    return get_object_or_404(
        records_for(user).prefetch_related("items", "clients", "workers", "attachments"), pk=pk
    )


def ledger(user, *, start=None, end=None, method="", field=""):
    return filter_given(
        records_for(user),
        served_on__gte=start,
        served_on__lte=end,
        method=method,
        field__code=field,
    )
