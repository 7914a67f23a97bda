from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.clients.selectors import client_get
from shegong.common.forms import form_page
from shegong.network.selectors import towns_for

from . import selectors, services
from .forms import VisitForm


@scoped_page
def due_list(request):
    town = request.GET.get("town", "")
    workers = selectors.workers_with_postings(request.user)
    worker_id = request.GET.get("worker", "")
    worker = workers.filter(pk=int(worker_id)).first() if worker_id.isdigit() else None
    clients = selectors.due_clients(request.user, town=town, worker=worker)
    page = Paginator(clients, 50).get_page(request.GET.get("page"))
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
        VisitForm(request.POST or None),
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
