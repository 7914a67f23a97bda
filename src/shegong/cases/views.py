from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.audit.exports import logged_xlsx
from shegong.clients.selectors import client_get
from shegong.common.forms import form_page, list_page, post_from_page
from shegong.common.idcard import mask_id_number
from shegong.records.models import Method
from shegong.records.views import record_form_page

from . import selectors, services
from .forms import (
    AssessForm,
    CaseFilter,
    CaseOpenForm,
    ClosureForm,
    DecisionForm,
    EvaluateForm,
    PlanForm,
    ReassignForm,
)
from .models import Stage


@scoped_page
def case_list(request):
    filters = CaseFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    cases = selectors.cases_for(request.user)
    cases = cases.filter(stage=data["stage"]) if data.get("stage") else cases.open()
    if data.get("q"):
        cases = cases.filter(client__name__contains=data["q"])
    return list_page(
        request,
        cases,
        "cases/case_list.html",
        export=lambda items: _workbook(request, items, data),
        context={"filters": filters, "awaiting": selectors.awaiting_approval(request.user)[:50]},
    )


def _workbook(request, cases, filters):
    headers = [
        _("case number"),
        _("client"),
        _("unit"),
        _("case worker"),
        _("stage"),
        _("opened on"),
        _("review date"),
        _("closure reason"),
        _("closed on"),
    ]
    rows = (
        [
            c.number,
            c.client.name,
            c.unit.name,
            c.case_worker.name,
            c.get_stage_display(),
            c.opened_on,
            c.review_on,
            c.get_closure_reason_display(),
            c.closed_on,
        ]
        for c in cases
    )
    return logged_xlsx(
        user=request.user,
        object_type="case",
        title=_("Cases"),
        headers=headers,
        rows=rows,
        filters=filters,
    )


@scoped_page(check=can_edit_clients)
def case_open(request, pk):
    client = client_get(request.user, pk)
    return form_page(
        request,
        CaseOpenForm(request.POST or None, user=request.user, client=client),
        "cases/case_open.html",
        save=lambda data: services.case_open(actor=request.user, client=client, **data),
        success_message=_("The case has been opened."),
        done=lambda case: reverse("cases:case-detail", args=[case.pk]),
        context={"client": client},
    )


def _forms(case, data=None, step=None):
    """The form of each step the case can take now; the posted one bound to ``data``."""
    built = {
        "assess": lambda d: AssessForm(
            d,
            initial={
                "needs": list(case.needs.all()),
                "risk_tier": case.risk_tier or case.client.risk_tier,
                "assessment": case.assessment,
            },
        ),
        "plan": lambda d: PlanForm(
            d,
            initial={
                "goals": "\n".join(g.text for g in case.goals.all()),
                "plan": case.plan,
                "planned_items": list(case.planned_items.all()),
                "review_on": case.review_on,
            },
        ),
        "evaluate": lambda d: EvaluateForm(d, case=case),
        "request_closure": lambda d: ClosureForm(d),
        "approve_closure": lambda d: DecisionForm(d),
        "reassign": lambda d: ReassignForm(d, case=case),
    }
    return {
        name: make(data if name == step else None)
        for name, make in built.items()
        if case.stage in services.STEPS[name][0]
    }


# The form shown open on the case page: the step the stage waits for.
NEXT_STEP = {
    Stage.INTAKE: "assess",
    Stage.PLANNING: "plan",
    Stage.INTERVENTION: "evaluate",
    Stage.EVALUATION: "request_closure",
}


def _detail(request, case, forms=None, status=200):
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "forms": forms if forms is not None else _forms(case),
            "timeline": selectors.timeline(case),
            "can_approve": services.can_approve_closure(request.user, case),
            "can_record": case.stage in services.STEPS["plan"][0],
            "next_step": NEXT_STEP.get(case.stage),
            # What the printed page carries: the masked ID, and who signs (MZ/T 094).
            "client_id_masked": mask_id_number(case.client.id_number)
            if case.client.id_number
            else "",
            "signers": [_("Case worker"), _("Supervisor"), _("Client (or guardian)")],
        },
        status=status,
    )


@scoped_page
def case_detail(request, pk):
    return _detail(request, selectors.case_get(request.user, pk))


STEP_ACTIONS = {
    "assess": lambda case, actor, data: services.case_assess(case=case, actor=actor, **data),
    "plan": lambda case, actor, data: services.case_plan(case=case, actor=actor, **data),
    "evaluate": lambda case, actor, data: services.case_evaluate(case=case, actor=actor, **data),
    "request_closure": lambda case, actor, data: services.case_request_closure(
        case=case, actor=actor, **data
    ),
    "approve_closure": lambda case, actor, data: services.case_decide_closure(
        case=case, actor=actor, approve=True, **data
    ),
    "reject_closure": lambda case, actor, data: services.case_decide_closure(
        case=case, actor=actor, approve=False, **data
    ),
    "reassign": lambda case, actor, data: services.case_reassign(case=case, actor=actor, **data),
}


@require_POST
@scoped_page(check=can_edit_clients)
def case_step(request, pk, step):
    case = selectors.case_get(request.user, pk)
    if step not in STEP_ACTIONS:
        raise Http404
    form_name = "approve_closure" if step == "reject_closure" else step
    forms = _forms(case, request.POST, form_name)
    form = forms.get(form_name)
    if form is None:
        messages.error(
            request,
            _("A case that is at “%(stage)s” cannot take this step.")
            % {"stage": case.get_stage_display()},
        )
        return redirect("cases:case-detail", pk=pk)
    return post_from_page(
        request,
        form,
        lambda data: STEP_ACTIONS[step](
            case, request.user, form.service_data() if hasattr(form, "service_data") else data
        ),
        _("The case has been updated."),
        back=reverse("cases:case-detail", args=[pk]),
        page=lambda _bound: _detail(request, case, forms=forms),
    )


@scoped_page(check=can_edit_clients)
def case_record_service(request, pk):
    """Record a service under a case: the form comes filled in with what the case knows."""
    case = selectors.case_get(request.user, pk)
    initial = {
        "case": case.pk,
        "unit": case.unit_id,
        "clients": [case.client_id],
        "workers": [case.case_worker_id],
        "method": Method.CASEWORK,
        "field": case.needs.values_list("pk", flat=True).first(),
    }
    return record_form_page(request, initial)
