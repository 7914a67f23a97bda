from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.clients.models import Client
from shegong.clients.selectors import client_get
from shegong.common.forms import VoidForm, form_page, post_from_page
from shegong.common.paging import page_of
from shegong.network.selectors import towns_for

from . import selectors, services
from .forms import VisitCorrectionForm, VisitForm


@scoped_page
def due_list(request):
    town = request.GET.get("town", "")
    workers = selectors.workers_with_postings(request.user)
    worker_id = request.GET.get("worker", "")
    worker = workers.filter(pk=int(worker_id)).first() if worker_id.isdigit() else None
    clients = selectors.due_clients(request.user, town=town, worker=worker)
    page = page_of(request, clients.defer(*Client.SENSITIVE_FIELDS), 50)
    return render(
        request,
        "visits/due_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "towns": towns_for(request.user),
            "town": town,
            "workers": workers,
            "worker": worker,
            "worker_filter": _worker_filter(workers, worker),
        },
    )


def _worker_filter(workers, worker):
    """The due list's worker filter: a searchable select holding the chosen worker only."""
    from .forms import DueWorkerFilter

    return DueWorkerFilter(initial={"worker": worker.pk if worker else None}, workers=workers)


@scoped_page(check=can_edit_clients)
def visit_create(request, pk):
    client = client_get(request.user, pk)
    return form_page(
        request,
        VisitForm(request.POST or None, request.FILES or None, client=client, user=request.user),
        "visits/visit_form.html",
        save=lambda data: services.visit_record(client=client, actor=request.user, **data),
        success_message=_("The visit has been recorded."),
        done=lambda _visit: _next_page(request, client),
        context={"client": client},
    )


def _next_page(request, client):
    """Back to the page the visit was recorded from (a due list), if it is one of ours."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = client.get_absolute_url()
    return target


def _visit_page(request, visit, void_form=None, status=200):
    refusal = services.correction_refusal(
        request.user,
        author_id=visit.visitor_id,
        recorded_at=visit.recorded_at,
        division_code=visit.client.division_id,
    )
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "photos": list(visit.photos.all()),
            "may_correct": can_edit_clients(request.user) and not refusal and not visit.is_voided,
            "correction_refusal": refusal,
            "void_form": void_form or VoidForm(),
            "history": visit.history.select_related("history_user").order_by("-history_date"),
            "corrected": visit.history.filter(history_change_reason="corrected").exists(),
        },
        status=status,
    )


@scoped_page
def visit_detail(request, pk):
    return _visit_page(request, selectors.visit_get(request.user, pk))


@scoped_page(check=can_edit_clients)
def visit_correct(request, pk):
    visit = selectors.visit_get(request.user, pk)
    if visit.is_voided:
        return redirect(visit)
    form = VisitCorrectionForm(
        request.POST or None,
        instance=visit,
        client=visit.client,
        user=request.user,
        initial={
            "visited_on": visit.visited_on,
            "mode": visit.mode,
            "findings": visit.findings,
            "needs": visit.needs,
            "follow_up": visit.follow_up,
            "workers": list(visit.workers.all()),
            "version": visit.version,
        },
    )
    return form_page(
        request,
        form,
        "visits/visit_correct.html",
        save=lambda data: services.visit_correct(visit=visit, actor=request.user, **data),
        success_message=_("The visit has been corrected."),
        context={"visit": visit, "client": visit.client},
    )


@require_POST
@scoped_page(check=can_edit_clients)
def visit_void(request, pk):
    visit = selectors.visit_get(request.user, pk)
    return post_from_page(
        request,
        VoidForm(request.POST),
        lambda data: services.visit_void(visit=visit, actor=request.user, reason=data["reason"]),
        _("The visit has been voided."),
        back=visit,
        page=lambda form: _visit_page(request, visit, void_form=form),
    )


@scoped_page
def visit_photo(request, pk):
    """A visit's photo (``?id=``) or its thumbnail (``&size=thumb``), only through the
    visit's scope."""
    from shegong.audit.services import export_logged
    from shegong.common.views import file_download

    visit = selectors.visit_get(request.user, pk)
    photo_id = request.GET.get("id", "")
    photo = get_object_or_404(visit.photos, pk=int(photo_id) if photo_id.isdigit() else 0)
    if request.GET.get("size") == "thumb" and photo.thumbnail:
        response = file_download(photo.thumbnail)
        response["Content-Disposition"] = "inline"
        return response
    response = file_download(photo.file)
    export_logged(
        user=request.user,
        object_type="visit_photo",
        object_id=photo.pk,
        rows=1,
        fields=_("file"),
        filters={"visit": visit.pk},
    )
    return response
