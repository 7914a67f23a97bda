from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_network
from shegong.audit.exports import logged_xlsx
from shegong.common.exports import export_filename, xlsx_response
from shegong.common.forms import form_page, list_page
from shegong.common.history import history_rows
from shegong.common.import_views import import_page
from shegong.common.imports import template_workbook

from . import selectors, services
from .exports import unit_headers, unit_rows
from .forms import TransitionForm, UnitCreateForm, UnitForm
from .imports import import_unit_row, unit_columns, unit_template_notes
from .models import UnitKind, UnitStatus


@scoped_page
def unit_list(request):
    params = {k: request.GET.get(k, "") for k in ("q", "kind", "status", "town")}
    return list_page(
        request,
        selectors.unit_search(request.user, **params),
        "network/unit_list.html",
        export=lambda units: logged_xlsx(
            user=request.user,
            object_type="unit",
            title=_("Units"),
            headers=unit_headers(),
            rows=unit_rows(units),
            filters=params,
        ),
        context=lambda: {
            "params": params,
            "kinds": UnitKind.choices,
            "statuses": UnitStatus.choices,
            "counts": selectors.unit_counts(request.user),
            "towns": selectors.towns_for(request.user),
        },
    )


@scoped_page
def unit_detail(request, pk):
    unit = selectors.unit_get(request.user, pk)
    assignments = unit.assignments.select_related("worker").prefetch_related("worker__certificates")
    return render(
        request,
        "network/unit_detail.html",
        {
            "unit": unit,
            "assignments": assignments,
            "status_changes": unit.status_changes.select_related("recorded_by"),
            "history": history_rows(unit),
            "transitions": services.allowed_transitions(unit),
        },
    )


@scoped_page(check=can_edit_network)
def unit_create(request):
    return form_page(
        request,
        UnitCreateForm(request.POST or None, user=request.user),
        "network/unit_form.html",
        save=lambda data: services.unit_create(actor=request.user, **data),
        success_message=_("The unit has been registered."),
    )


@scoped_page(check=can_edit_network)
def unit_edit(request, pk):
    unit = selectors.unit_get(request.user, pk)
    return form_page(
        request,
        UnitForm(request.POST or None, instance=unit, user=request.user),
        "network/unit_form.html",
        save=lambda data: services.unit_update(unit=unit, actor=request.user, **data),
        success_message=_("The unit has been saved."),
        done=unit,
        context={"unit": unit},
    )


@scoped_page(check=can_edit_network)
def unit_transition(request, pk):
    unit = selectors.unit_get(request.user, pk)
    return form_page(
        request,
        TransitionForm(request.POST or None, allowed=services.allowed_transitions(unit)),
        "network/unit_transition.html",
        save=lambda data: services.unit_transition(
            unit=unit,
            actor=request.user,
            to_status=data["status"],
            effective_on=data["effective_on"],
            note=data["note"],
        ),
        success_message=_("The unit's status has been changed."),
        done=unit,
        context={"unit": unit},
    )


@scoped_page(check=can_edit_network)
def unit_import(request):
    """Upload the unit register as Excel: check, then import all rows or none."""
    return import_page(
        request,
        title=_("Import units from Excel"),
        columns=unit_columns(),
        handle_row=lambda values: import_unit_row(values, actor=request.user),
        template_url=reverse("network:unit-import-template"),
        back_url=reverse("network:unit-list"),
        success=lambda n: _("%d units have been imported.") % n,
    )


@scoped_page(check=can_edit_network)
def unit_import_template(request):
    content = template_workbook(_("Units"), unit_columns(), unit_template_notes())
    return xlsx_response(content, export_filename(_("Unit import template")))
