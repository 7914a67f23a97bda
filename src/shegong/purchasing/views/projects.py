"""Projects: the list (and its Excel ledger), registering one, its page and the lifecycle
steps posted from it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_manage_projects
from shegong.common.forms import form_page, list_page, post_from_page

from .. import indicators, selectors, services
from ..exports import logged_sheet
from ..forms import (
    AssignForm,
    AwardForm,
    CloseForm,
    ContractForm,
    IndicatorsForm,
    PayForm,
    ProcureForm,
    ProjectForm,
    ReportForm,
)
from ..models import Evaluation, Stage


def _projects_workbook(request, projects, filters):
    headers = [
        _("project name"),
        _("purchaser"),
        _("funding source"),
        _("stage"),
        _("winning agency"),
        _("contract number"),
        _("approved budget (yuan)"),
        _("contract amount (yuan)"),
        _("service period from"),
        _("service period to"),
        _("final grade"),
    ]
    rows = (
        [
            p.name,
            p.purchaser.name,
            p.get_funding_source_display(),
            p.get_stage_display(),
            p.agency.name if p.agency else "",
            p.contract_number,
            p.budget_amount,
            p.contract_amount,
            p.start_on,
            p.end_on,
            p.get_final_grade_display(),
        ]
        for p in projects
    )
    stage = filters.get("stage")
    return logged_sheet(
        user=request.user,
        object_type="project",
        title=_("Project ledger"),
        header=[(_("stage"), Stage(stage).label if stage in Stage.values else _("all"))],
        headers=headers,
        rows=rows,
        filename="projects.xlsx",
        filters=filters,
    )


@scoped_page
def project_list(request):
    stage = request.GET.get("stage", "")
    projects = selectors.projects_for(request.user)
    if stage in Stage.values:
        projects = projects.filter(stage=stage)
    return list_page(
        request,
        projects,
        "purchasing/project_list.html",
        export=lambda items: _projects_workbook(request, items, {"stage": stage}),
        context={
            "stages": Stage.choices,
            "stage": stage,
            "can_manage": can_manage_projects(request.user),
            # An evaluator's work list: the sheets waiting for its scores.
            "to_score": selectors.evaluations_for(request.user).filter(
                evaluator=request.user, status=Evaluation.Status.ASSIGNED
            ),
        },
    )


@scoped_page(check=can_manage_projects)
def project_create(request):
    return form_page(
        request,
        ProjectForm(request.POST or None, user=request.user),
        "purchasing/project_form.html",
        save=lambda data: services.project_create(actor=request.user, **data),
        success_message=_("The project has been registered."),
        done=lambda project: reverse("purchasing:project-detail", args=[project.pk]),
    )


# Each step a stage offers: its form and the service that takes it. The agency under
# contract takes the steps of AGENCY_STEPS; the purchaser and the district take them all.
STEPS = {
    Stage.BUDGETED: {"procure": (ProcureForm, services.procurement_start)},
    Stage.PROCURING: {
        "award": (AwardForm, services.procurement_award),
        "contract": (ContractForm, services.contract_sign),
    },
    Stage.CONTRACTED: {
        "report": (ReportForm, services.progress_report_add),
        "indicators": (IndicatorsForm, services.indicators_set),
        "assign": (AssignForm, services.evaluation_assign),
        "close": (CloseForm, services.project_close),
    },
}
STEP_NAMES = {name for steps in STEPS.values() for name in steps}
AGENCY_STEPS = {"report"}
PROJECT_FORMS = (ContractForm, IndicatorsForm)  # the forms that read the project


def _make_form(name, project, data=None):
    """The step's form if the project's stage offers the step, else None. The award form
    shows the award recorded, if any."""
    form_class, _service = STEPS.get(project.stage, {}).get(name, (None, None))
    if form_class is None:
        return None
    if form_class in PROJECT_FORMS:
        return form_class(data, project=project)
    if name == "award" and project.agency_id:
        return form_class(
            data, initial={"agency": project.agency_id, "awarded_on": project.awarded_on}
        )
    return form_class(data)


def _open_step(project) -> str | None:
    """The step the page shows open: the first the stage offers, the contract once the
    award is recorded."""
    if project.stage == Stage.PROCURING and project.agency_id:
        return "contract"
    return next(iter(STEPS.get(project.stage, {})), None)


# What the page says once a step is taken (translated when shown).
STEP_DONE = {
    "procure": gettext_lazy("Procurement has started."),
    "award": gettext_lazy("The award has been recorded; the contract can be signed."),
    "contract": gettext_lazy("The contract has been signed."),
    "report": gettext_lazy("The progress report has been recorded."),
    "indicators": gettext_lazy("The indicator targets have been saved."),
    "assign": gettext_lazy("The evaluation has been assigned."),
    "close": gettext_lazy("The project has been closed."),
}


def _instalments(project, row=None, pay=None) -> list[dict]:
    """Each instalment, what is payable now and why; whether paying it beyond the advance
    needs an override (``row``, the project's figures: delivery lags the time elapsed),
    and the refused payment form of ``pay``."""
    lag = project.stage == Stage.CONTRACTED and row is not None and row.behind_schedule
    rows = []
    for instalment in project.instalments.select_related("project").prefetch_related(
        "project__evaluations"
    ):
        payable, why = services.instalment_payable(instalment)
        rows.append(
            {
                "object": instalment,
                "payable": payable,
                "why": why,
                "override": bool(lag and instalment.after and not instalment.paid_on),
                "form": pay[1] if pay and pay[0] == instalment.pk else None,
            }
        )
    return rows


def _detail(request, project, bound=None, pay=None):
    """The project page; ``bound`` is (step, form) when a posted step failed, ``pay``
    (instalment id, form) when a payment was refused."""
    user = request.user
    manage = services.may_manage(user, project)
    agency = services.is_agency_staff(user, project)
    forms = {}
    for name in STEPS.get(project.stage, {}):
        if manage or (agency and name in AGENCY_STEPS):
            posted = bound is not None and bound[0] == name
            forms[name] = bound[1] if posted else _make_form(name, project)
    live = project.stage != Stage.BUDGETED
    [row] = indicators.board([project]) if live else [None]
    return render(
        request,
        "purchasing/project_detail.html",
        {
            "project": project,
            "forms": forms,
            "may_manage": manage,
            "instalments": _instalments(project, row, pay),
            "pay_form": PayForm(),
            "open_step": bound[0] if bound else _open_step(project),
            "row": row,
            "evaluations": project.evaluations.select_related("evaluator"),
            "staffing": selectors.staffing(project) if live else [],
            "reports": project.reports.select_related("submitted_by")[:12],
        },
    )


@scoped_page
def project_detail(request, pk):
    return _detail(request, selectors.project_get(request.user, pk))


@require_POST
@scoped_page
def project_step(request, pk, step):
    project = selectors.project_get(request.user, pk)
    if step not in STEP_NAMES:
        raise Http404
    form = _make_form(step, project, request.POST)
    if form is None:
        messages.error(
            request,
            _("A project that is %(stage)s cannot take this step.")
            % {"stage": project.get_stage_display()},
        )
        return redirect("purchasing:project-detail", pk=pk)
    _form_class, service = STEPS[project.stage][step]
    return post_from_page(
        request,
        form,
        lambda data: service(
            project=project,
            actor=request.user,
            **(form.service_data() if hasattr(form, "service_data") else data),
        ),
        STEP_DONE.get(step, _("The project has been updated.")),
        back=reverse("purchasing:project-detail", args=[pk]),
        page=lambda bound: _detail(request, project, bound=(step, bound)),
    )
