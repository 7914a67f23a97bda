from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.audit.exports import logged_xlsx
from shegong.common.forms import VoidForm, form_page, list_page, post_from_page, post_to_page

from . import selectors, services
from .forms import (
    FIELDS,
    AttachmentForm,
    LedgerFilter,
    ServiceRecordCorrectionForm,
    ServiceRecordForm,
)
from .models import Method, ServiceField


def ledger_rows(records):
    for r in records:
        yield [
            r.served_on,
            r.unit.name,
            r.get_method_display(),
            r.field.name,
            "、".join(i.name for i in r.items.all()),
            "、".join(c.name for c in r.clients.all()),
            r.other_participants,
            r.duration_minutes,
            "、".join(w.name for w in r.workers.all()),
            r.outcome,
        ]


@scoped_page
def ledger(request):
    filters = LedgerFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    method, field = request.GET.get("method", ""), request.GET.get("field", "")
    records = selectors.ledger(
        request.user, start=data.get("start"), end=data.get("end"), method=method, field=field
    )
    return list_page(
        request,
        records.prefetch_related("clients"),
        "records/ledger.html",
        export=lambda items: _workbook(request, items, {**data, "method": method, "field": field}),
        context={
            "filters": filters,
            "methods": Method.choices,
            "fields": ServiceField.objects.all(),
            "method": method,
            "field": field,
        },
    )


def _workbook(request, records, filters):
    records = records.prefetch_related("items", "clients", "workers")
    headers = [
        _("served on"),
        _("unit"),
        _("method"),
        _("service field"),
        _("service items"),
        _("clients"),
        _("other participants"),
        _("duration (minutes)"),
        _("workers"),
        _("outcome"),
    ]
    return logged_xlsx(
        user=request.user,
        object_type="service_record",
        title=_("Service ledger"),
        headers=headers,
        rows=ledger_rows(records),
        filters=filters,
    )


@scoped_page(check=can_edit_clients)
def record_create(request):
    return record_form_page(request)


def record_form_page(request, initial=None):
    """The new-service form; a page of another app may fill in what it knows (a case)."""
    return form_page(
        request,
        ServiceRecordForm(request.POST or None, user=request.user, initial=initial or {}),
        "records/record_form.html",
        save=lambda data: services.service_record_create(
            actor=request.user, **{name: data[name] for name in FIELDS}
        ),
        success_message=_("The service has been recorded."),
        done=lambda record: reverse("records:record-detail", args=[record.pk]),
    )


def _detail(request, record, attachment_form=None, void_form=None):
    from shegong.visits.services import correction_refusal

    refusal = correction_refusal(
        request.user,
        author_id=record.created_by_id,
        recorded_at=record.created_at,
        division_code=record.unit.division_id,
    )
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "attachment_form": attachment_form or AttachmentForm(),
            "may_correct": can_edit_clients(request.user) and not refusal and not record.is_voided,
            "correction_refusal": refusal,
            "void_form": void_form or VoidForm(),
            "history": record.history.select_related("history_user").order_by("-history_date"),
            "corrected": record.history.filter(history_change_reason="corrected").exists(),
        },
    )


@scoped_page(check=can_edit_clients)
def record_correct(request, pk):
    from django.shortcuts import redirect

    record = selectors.record_get(request.user, pk)
    if record.is_voided:
        return redirect("records:record-detail", pk=pk)
    form = ServiceRecordCorrectionForm(request.POST or None, instance=record, user=request.user)
    return form_page(
        request,
        form,
        "records/record_correct.html",
        save=lambda data: services.service_record_correct(
            record=record, actor=request.user, **data
        ),
        success_message=_("The service record has been corrected."),
        done=lambda r: reverse("records:record-detail", args=[r.pk]),
        context={"record": record},
    )


@require_POST
@scoped_page(check=can_edit_clients)
def record_void(request, pk):
    record = selectors.record_get(request.user, pk)
    return post_from_page(
        request,
        VoidForm(request.POST),
        lambda data: services.service_record_void(
            record=record, actor=request.user, reason=data["reason"]
        ),
        _("The service record has been voided."),
        back=reverse("records:record-detail", args=[pk]),
        page=lambda form: _detail(request, record, void_form=form),
    )


@scoped_page
def record_detail(request, pk):
    return _detail(request, selectors.record_get(request.user, pk))


@require_POST
@scoped_page(check=can_edit_clients)
def attachment_add(request, pk):
    record = selectors.record_get(request.user, pk)
    return post_to_page(
        request,
        AttachmentForm(request.POST, request.FILES),
        lambda data: services.attachment_add(
            record=record, upload=data["file"], kind=data["kind"], actor=request.user
        ),
        _("The attachment has been added."),
        back=reverse("records:record-detail", args=[pk]),
        page=lambda form: _detail(request, record, attachment_form=form),
    )


@scoped_page
def attachment_download(request, pk, attachment_id):
    """Files go out only through the record's scope (never a public media URL)."""
    from django.shortcuts import get_object_or_404

    from shegong.audit.services import export_logged
    from shegong.common.views import file_download

    record = selectors.record_get(request.user, pk)
    attachment = get_object_or_404(record.attachments, pk=attachment_id)
    response = file_download(attachment.file)
    # An attachment (a consent form, a sign-in sheet) carries personal data: logged.
    export_logged(
        user=request.user,
        object_type="attachment",
        object_id=attachment.pk,
        rows=1,
        fields=_("file"),
        filters={"service_record": record.pk},
    )
    return response
