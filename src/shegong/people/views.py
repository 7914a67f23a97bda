from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_workers
from shegong.audit.exports import logged_xlsx
from shegong.common.exports import export_filename, xlsx_response
from shegong.common.forms import form_page, list_page, post_from_page
from shegong.common.history import history_rows
from shegong.common.import_views import import_page
from shegong.common.imports import template_workbook

from . import selectors, services
from .exports import worker_headers, worker_rows
from .forms import (
    AssignmentForm,
    CertificateForm,
    EndAssignmentForm,
    WorkerForm,
)
from .imports import import_worker_row, worker_columns, worker_template_notes
from .models import WorkerRole


@scoped_page
def worker_list(request):
    params = {k: request.GET.get(k, "") for k in ("q", "role", "certified")}
    return list_page(
        request,
        selectors.worker_search(request.user, **params).prefetch_related("certificates"),
        "people/worker_list.html",
        export=lambda items: _workbook(request, items, params),
        context={"params": params, "roles": WorkerRole.choices},
    )


def _workbook(request, workers, filters):
    return logged_xlsx(
        user=request.user,
        object_type="worker",
        title=_("Workers"),
        headers=worker_headers(),
        rows=worker_rows(workers.prefetch_related("assignments__unit")),
        filters=filters,
    )


@scoped_page
def worker_detail(request, pk):
    return _detail(request, selectors.worker_get(request.user, pk))


@scoped_page(check=can_edit_workers)
def worker_create(request):
    return form_page(
        request,
        WorkerForm(request.POST or None, user=request.user),
        "people/worker_form.html",
        save=lambda data: services.worker_create(actor=request.user, **data),
        success_message=_("The worker has been registered."),
    )


@scoped_page(check=can_edit_workers)
def worker_edit(request, pk):
    worker = selectors.worker_get(request.user, pk)
    return form_page(
        request,
        WorkerForm(request.POST or None, instance=worker, user=request.user),
        "people/worker_form.html",
        save=lambda data: services.worker_update(worker=worker, actor=request.user, **data),
        success_message=_("The worker has been saved."),
        done=worker,
        context={"worker": worker},
    )


def _detail(request, worker, **forms):
    context = {
        "worker": worker,
        "history": history_rows(worker),
        "certificate_form": CertificateForm(),
        "assignment_form": AssignmentForm(user=request.user),
    }
    context.update(forms)
    return render(request, "people/worker_detail.html", context)


@require_POST
@scoped_page(check=can_edit_workers)
def certificate_add(request, pk):
    worker = selectors.worker_get(request.user, pk)
    return post_from_page(
        request,
        CertificateForm(request.POST),
        lambda data: services.certificate_add(worker=worker, actor=request.user, **data),
        _("The certificate has been added."),
        back=worker,
        page=lambda form: _detail(request, worker, certificate_form=form),
    )


@require_POST
@scoped_page(check=can_edit_workers)
def assignment_add(request, pk):
    worker = selectors.worker_get(request.user, pk)
    return post_from_page(
        request,
        AssignmentForm(request.POST, user=request.user),
        lambda data: services.assignment_add(worker=worker, actor=request.user, **data),
        _("The posting has been added."),
        back=worker,
        page=lambda form: _detail(request, worker, assignment_form=form),
    )


@require_POST
@scoped_page(check=can_edit_workers)
def assignment_end(request, pk, assignment_id):
    worker = selectors.worker_get(request.user, pk)
    assignment = selectors.assignment_get(request.user, worker, assignment_id)
    form = EndAssignmentForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_end(
                assignment=assignment, end_on=form.cleaned_data["end_on"], actor=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The posting has been ended."))
    else:
        messages.error(request, _("Enter the end date."))
    return redirect(worker)


@scoped_page(check=can_edit_workers)
def worker_import(request):
    return import_page(
        request,
        title=_("Import workers from Excel"),
        columns=worker_columns(),
        handle_row=lambda values: import_worker_row(values, actor=request.user),
        template_url=reverse("people:worker-import-template"),
        back_url=reverse("people:worker-list"),
        success=lambda n: _("%d workers have been imported.") % n,
    )


@scoped_page(check=can_edit_workers)
def worker_import_template(request):
    content = template_workbook(_("Workers"), worker_columns(), worker_template_notes())
    return xlsx_response(content, export_filename(_("Worker import template")))
