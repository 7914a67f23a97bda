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
    return render(
        request,
        "purchasing/indicator_drill.html",
        {"project": project, "metric": Metric(metric).label, "kind": kind, "page": page},
    )


@scoped_page
def board(request):
    projects = selectors.projects_for(request.user).filter(stage=Stage.CONTRACTED)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    rows = indicators.board(page.object_list)
    return render(request, "purchasing/board.html", {"rows": rows, "page": page})
