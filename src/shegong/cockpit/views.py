"""Home and the coverage report: pages that read across the domain apps."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_view_coverage
from shegong.audit.exports import logged_xlsx
from shegong.audit.services import export_logged
from shegong.common.dates import parse_as_of
from shegong.common.exports import export_filename, xlsx_response
from shegong.network.exports import unit_headers, unit_rows

from .coverage import (
    DRILL_METRICS,
    MILESTONE_LABELS,
    VILLAGE_METRICS,
    coverage_drilldown,
    coverage_report,
)
from .exports import coverage_workbook
from .workbench import workbench_for


@scoped_page
def home(request):
    """The workbench (工作台): the user's tasks for today, by role."""
    return render(request, "cockpit/home.html", {"bench": workbench_for(request.user)})


def _as_of(request):
    try:
        return parse_as_of(request.GET.get("as_of")), None
    except ValidationError as exc:
        return parse_as_of(None), exc.message_dict["as_of"][0]


@scoped_page(check=can_view_coverage)
def coverage(request):
    as_of, error = _as_of(request)
    report = coverage_report(request.user, as_of)
    if request.GET.get("export") == "xlsx":
        content = coverage_workbook(report)
        # Counts per town, no names: logged all the same, as every export is.
        export_logged(
            user=request.user,
            object_type="coverage",
            rows=len(report.towns),
            filters={"as_of": as_of},
        )
        return xlsx_response(content, export_filename(_("Coverage report"), day=as_of))
    chart = {
        "towns": [t.name for t in report.towns],
        "villages": [t.villages for t in report.towns],
        "rooms": [t.rooms_established for t in report.towns],
        "operating": [t.rooms_operating for t in report.towns],
    }
    return render(
        request,
        "cockpit/coverage.html",
        {
            "report": report,
            "as_of": as_of,
            "date_error": error,
            "labels": MILESTONE_LABELS,
            "chart": chart,
        },
    )


@scoped_page(check=can_view_coverage)
def coverage_drill(request):
    as_of, _error = _as_of(request)
    metric = request.GET.get("metric", "")
    town = request.GET.get("town", "")
    if metric not in DRILL_METRICS:
        raise Http404
    items = coverage_drilldown(request.user, as_of, metric, town)
    is_village = metric in VILLAGE_METRICS
    title = f"{DRILL_METRICS[metric]} · {as_of.isoformat()}"
    if request.GET.get("export") == "xlsx":
        if is_village:
            headers, rows = [_("Code"), _("Village / community")], ([d.code, d.name] for d in items)
        else:
            headers, rows = unit_headers(), unit_rows(items.select_related("head"))
        return logged_xlsx(
            user=request.user,
            object_type="village" if is_village else "unit",
            title=title,
            headers=headers,
            rows=rows,
            filename=f"{metric}-{as_of}.xlsx",
            filters={"metric": metric, "town": town, "as_of": as_of},
        )
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "cockpit/coverage_drill.html",
        {
            "page": page,
            "title": title,
            "is_village": is_village,
            "metric": metric,
            "town": town,
            "as_of": as_of,
        },
    )
