"""Paying an instalment, and the budget ledger."""

from decimal import Decimal

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.common.forms import post_from_page

from .. import indicators, selectors, services
from ..exports import logged_sheet
from ..forms import PayForm
from ..models import Stage


@require_POST
@scoped_page
def instalment_pay(request, pk, instalment_id):
    from .projects import _detail

    project = selectors.project_get(request.user, pk)
    instalment = get_object_or_404(project.instalments, pk=instalment_id)
    return post_from_page(
        request,
        PayForm(request.POST),
        lambda data: services.instalment_pay(instalment=instalment, actor=request.user, **data),
        _("The payment has been recorded."),
        back=reverse("purchasing:project-detail", args=[pk]),
        page=lambda form: _detail(request, project, pay=(instalment.pk, form)),
    )


def _ledger_workbook(request, rows, by):
    """The budget ledger; by project, each row names its agency and service period."""
    headers = [
        _("by"),
        _("projects"),
        _("contract amount (yuan)"),
        _("paid (yuan)"),
        _("due (yuan)"),
        _("remaining (yuan)"),
    ]
    projects = {}
    if by == "project":
        headers += [_("winning agency"), _("service period from"), _("service period to")]
        projects = selectors.projects_for(request.user).select_related("agency")
        projects = projects.in_bulk([r["key"] for r in rows])

    def line(r):
        values = [r["label"], r["projects"], r["contract"], r["paid"], r["due"], r["remaining"]]
        if by == "project":
            p = projects[r["key"]]
            values += [p.agency.name if p.agency_id else "", p.start_on, p.end_on]
        return values

    return logged_sheet(
        user=request.user,
        object_type="budget_ledger",
        title=_("Budget ledger"),
        header=[(_("Grouped by"), _ledger_group_label(by))],
        headers=headers,
        rows=(line(r) for r in rows),
        filename="ledger.xlsx",
        filters={"by": by},
    )


def _ledger_group_label(by: str) -> str:
    return {
        "project": _("project"),
        "purchaser": _("purchaser"),
        "funding_source": _("funding source"),
    }.get(by, by)


@scoped_page
def ledger(request):
    by = selectors.ledger_group(request.GET.get("by"))
    rows = selectors.ledger(request.user, group_by=by)
    if request.GET.get("export") == "xlsx":
        return _ledger_workbook(request, rows, by)
    totals = {
        k: sum((r[k] for r in rows), Decimal("0")) for k in ("contract", "paid", "due", "remaining")
    }
    if by == "project":  # flag the contracts whose spending runs ahead of delivery
        live = selectors.projects_for(request.user).filter(
            pk__in=[r["key"] for r in rows], stage=Stage.CONTRACTED
        )
        ahead = {row.project.pk for row in indicators.board(live) if row.ahead_of_delivery}
        for r in rows:
            r["ahead"] = r["key"] in ahead
    return render(request, "purchasing/ledger.html", {"rows": rows, "by": by, "totals": totals})
