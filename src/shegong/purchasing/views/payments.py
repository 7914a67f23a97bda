"""Paying an instalment, and the budget ledger."""

from decimal import Decimal

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.audit.exports import logged_xlsx

from .. import indicators, selectors, services
from ..forms import PayForm
from ..models import Stage
from .base import post_back


@require_POST
@scoped_page
def instalment_pay(request, pk, instalment_id):
    project = selectors.project_get(request.user, pk)
    instalment = get_object_or_404(project.instalments, pk=instalment_id)
    return post_back(
        request,
        PayForm(request.POST),
        lambda data: services.instalment_pay(instalment=instalment, actor=request.user, **data),
        _("The payment has been recorded."),
        reverse("purchasing:project-detail", args=[pk]),
        flash_denied=True,
    )


def _ledger_workbook(request, rows, by):
    headers = [
        _("by"),
        _("projects"),
        _("contract amount (yuan)"),
        _("paid (yuan)"),
        _("due (yuan)"),
        _("remaining (yuan)"),
    ]
    data = (
        [r["label"], r["projects"], r["contract"], r["paid"], r["due"], r["remaining"]]
        for r in rows
    )
    return logged_xlsx(
        user=request.user,
        object_type="budget_ledger",
        title=_("Budget ledger"),
        headers=headers,
        rows=data,
        filename="ledger.xlsx",
        filters={"by": by},
    )


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
