"""The indicator board of contracted projects, and the records behind a figure."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from shegong.access.decorators import scoped_page

from .. import indicators, selectors
from ..exports import logged_sheet
from ..models import Metric, Stage


@scoped_page
def indicator_drill(request, pk, metric):
    project = selectors.project_get(request.user, pk)
    if metric not in Metric.values:
        raise Http404
    group = request.GET.get("group", "")
    kind, rows = indicators.behind(project, metric, int(group) if group.isdigit() else None)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    # Names and links only for clients in the reader's own scope (issue 9, finding 3).
    shown = indicators.drill_rows(request.user, kind, page.object_list, page.start_index())
    return render(
        request,
        "purchasing/indicator_drill.html",
        {
            "project": project,
            "metric": Metric(metric).label,
            "kind": kind,
            "page": page,
            "rows": shown,
        },
    )


def _board_workbook(request, projects):
    """Every contracted project in view: agency, period, elapsed, delivery, paid, warnings."""
    headers = [
        _("project name"),
        _("winning agency"),
        _("service period from"),
        _("service period to"),
        _("period gone (%)"),
        _("delivery (%)"),
        _("paid (%)"),
        _("warnings"),
    ]

    def line(row):
        p = row.project
        warnings = [
            str(text)
            for flag, text in (
                (row.ahead_of_delivery, _("spending runs ahead of delivery")),
                (row.behind_schedule, _("behind schedule")),
            )
            if flag
        ]
        return [
            p.name,
            p.agency.name if p.agency_id else "",
            p.start_on,
            p.end_on,
            round(row.elapsed * 100),
            round(row.delivery * 100),
            round(row.paid_share * 100),
            "、".join(warnings),
        ]

    return logged_sheet(
        user=request.user,
        object_type="project_board",
        title=_("Indicator board"),
        header=[(_("stage"), Stage.CONTRACTED.label)],
        headers=headers,
        rows=(line(r) for r in indicators.board(projects.select_related("agency"))),
        filename="board.xlsx",
    )


@scoped_page
def board(request):
    projects = selectors.projects_for(request.user).filter(stage=Stage.CONTRACTED)
    if request.GET.get("export") == "xlsx":
        return _board_workbook(request, projects)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    rows = indicators.board(page.object_list)
    return render(request, "purchasing/board.html", {"rows": rows, "page": page})
