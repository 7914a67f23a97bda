"""The audit administrator's pages: the change log, the sensitive-data accesses and the
login records, each filtered, paged in SQL and exported to Excel (the export logged)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_view_audit

from . import exports, selectors
from .forms import AccessFilter, ChangeFilter, LoginFilter

PER_PAGE = 50


def _page(request, rows):
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def _filtered(request, form_class):
    form = form_class(request.GET or None)
    return form, form.filters() if form.is_bound else {}


def _wants_export(request, form) -> bool:
    return request.GET.get("export") == "xlsx" and (not form.is_bound or form.is_valid())


def all_change_rows(changes, chunk=500):
    """Every row of ``changes`` made readable, a chunk at a time (for the export)."""
    offset = 0
    while True:
        values = list(changes[offset : offset + chunk])
        if not values:
            return
        yield from selectors.change_rows(values)
        offset += chunk


@scoped_page(check=can_view_audit)
def change_log_page(request):
    form, filters = _filtered(request, ChangeFilter)
    changes = selectors.changes_for(request.user, **filters) if not form.errors else []
    if _wants_export(request, form):
        return exports.change_workbook(request.user, all_change_rows(changes), filters)
    page = _page(request, changes)
    return render(
        request,
        "audit/change_log.html",
        {"form": form, "page": page, "rows": selectors.change_rows(page.object_list)},
        status=400 if form.errors else 200,
    )


@scoped_page(check=can_view_audit)
def access_log_page(request):
    form, filters = _filtered(request, AccessFilter)
    accesses = selectors.accesses_for(request.user, **filters) if not form.errors else []
    if _wants_export(request, form):
        return exports.access_workbook(request.user, accesses, filters)
    page = _page(request, accesses)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "accesses": page.object_list},
        status=400 if form.errors else 200,
    )


@scoped_page(check=can_view_audit)
def login_log_page(request):
    form, filters = _filtered(request, LoginFilter)
    events = selectors.logins_for(request.user, **filters) if not form.errors else []
    if _wants_export(request, form):
        return exports.login_workbook(request.user, events, filters)
    page = _page(request, events)
    return render(
        request,
        "audit/login_log.html",
        {"form": form, "page": page, "logins": page.object_list},
        status=400 if form.errors else 200,
    )
