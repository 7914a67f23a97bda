"""The agency register: the list, an agency's record across projects, registering and
editing (through the network's services)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_network
from shegong.common.forms import form_page
from shegong.network import services as network_services
from shegong.network.forms import AgencyForm
from shegong.network.models import Agency

from .. import selectors


@scoped_page
def agency_list(request):
    return render(
        request,
        "purchasing/agency_list.html",
        {"agencies": Agency.objects.all(), "can_edit": can_edit_network(request.user)},
    )


@scoped_page
def agency_detail(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    visible = set(selectors.projects_for(request.user).values_list("pk", flat=True))
    return render(
        request,
        "purchasing/agency_detail.html",
        {
            "agency": agency,
            "record": selectors.agency_record(agency),
            "visible": visible,
            "staff": selectors.agency_staff(request.user, agency)[:100],
            "staff_count": agency.staff.filter(is_active=True).count(),
            "can_edit": can_edit_network(request.user),
        },
    )


def _save(agency, actor, data):
    if agency is None:
        return network_services.agency_create(actor=actor, **data)
    return network_services.agency_update(agency=agency, actor=actor, **data)


@scoped_page(check=can_edit_network)
def agency_edit(request, pk=None):
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    return form_page(
        request,
        AgencyForm(request.POST or None, instance=agency),
        "purchasing/agency_form.html",
        save=lambda data: _save(agency, request.user, data),
        success_message=_("The agency has been saved."),
        done=lambda saved: reverse("purchasing:agency-detail", args=[saved.pk]),
        context={"agency": agency},
        refused_status=400,
    )
