"""The indicator board of contracted projects, and the records behind a figure."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from shegong.access.decorators import scoped_page

from .. import indicators, selectors
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


@scoped_page
def board(request):
    projects = selectors.projects_for(request.user).filter(stage=Stage.CONTRACTED)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    rows = indicators.board(page.object_list)
    return render(request, "purchasing/board.html", {"rows": rows, "page": page})
