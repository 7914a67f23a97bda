"""The audit administrator's pages: the change log, the sensitive-data accesses and the
login records, each filtered, paged in SQL and exported to Excel (the export logged)."""

from django.shortcuts import render

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_view_audit

from . import exports, selectors
from .forms import AccessFilter, ChangeFilter, LoginFilter

PER_PAGE = 50


def _page(request, rows):
    from shegong.common.paging import page_of

    return page_of(request, rows, PER_PAGE)


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


def _log_page(request, *, form_class, select, export, template, name, rows=list):
    """One audit log's page: filter, export the whole filtered log, or show one page of it."""
    form, filters = _filtered(request, form_class)
    records = select(request.user, **filters) if not form.errors else []
    if _wants_export(request, form):
        return export(request.user, records, filters)
    page = _page(request, records)
    return render(
        request,
        template,
        {"form": form, "page": page, name: rows(page.object_list)},
        status=400 if form.errors else 200,
    )


@scoped_page(check=can_view_audit)
def change_log_page(request):
    return _log_page(
        request,
        form_class=ChangeFilter,
        select=selectors.changes_for,
        export=lambda user, changes, filters: exports.change_workbook(
            user, all_change_rows(changes), filters
        ),
        template="audit/change_log.html",
        name="rows",
        rows=selectors.change_rows,
    )


@scoped_page(check=can_view_audit)
def access_log_page(request):
    return _log_page(
        request,
        form_class=AccessFilter,
        select=selectors.accesses_for,
        export=exports.access_workbook,
        template="audit/access_log.html",
        name="accesses",
    )


@scoped_page(check=can_view_audit)
def login_log_page(request):
    return _log_page(
        request,
        form_class=LoginFilter,
        select=selectors.logins_for,
        export=exports.login_workbook,
        template="audit/login_log.html",
        name="logins",
    )
