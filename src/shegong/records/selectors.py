from django.shortcuts import get_object_or_404

from .models import ServiceRecord


def records_for(user):
    return ServiceRecord.objects.visible_to(user).select_related("unit", "field", "created_by")


def record_get(user, pk) -> ServiceRecord:
    return get_object_or_404(
        records_for(user).prefetch_related("items", "clients", "workers", "attachments"), pk=pk
    )


def ledger(user, *, start=None, end=None, method="", field=""):
    qs = records_for(user)
    if start:
        qs = qs.filter(served_on__gte=start)
    if end:
        qs = qs.filter(served_on__lte=end)
    if method:
        qs = qs.filter(method=method)
    if field:
        qs = qs.filter(field__code=field)
    return qs
