from django.shortcuts import get_object_or_404

from shegong.common.filters import filter_given

from .models import ServiceRecord


def records_for(user):
    return ServiceRecord.objects.visible_to(user).select_related("unit", "field", "created_by")


def records_all_for(user):
    """Records in scope, voided ones included (read one by its id; never count these)."""
    return ServiceRecord.all_objects.visible_to(user).select_related(
        "unit", "field", "created_by", "voided_by"
    )


def record_get(user, pk) -> ServiceRecord:
    """One record in scope, voided or not (its page shows why); 404 otherwise."""
    return get_object_or_404(
        records_all_for(user).prefetch_related("items", "clients", "workers", "attachments"),
        pk=pk,
    )


def ledger(user, *, start=None, end=None, method="", field=""):
    return filter_given(
        records_for(user),
        served_on__gte=start,
        served_on__lte=end,
        method=method,
        field__code=field,
    )
