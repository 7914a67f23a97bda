from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_network, can_manage_projects
from shegong.common.exports import table_workbook, xlsx_response
from shegong.common.forms import apply_service_errors, submit_form
from shegong.network.models import Agency

from . import indicators, selectors, services
from .forms import (
    AgencyForm,
    AssignForm,
    AwardForm,
    CloseForm,
    ContractForm,
    IndicatorsForm,
    PayForm,
    ProcureForm,
    ProjectForm,
    ReportForm,
    RespondForm,
)
from .models import Criterion, Evaluation, Metric, Stage


@scoped_page
def project_list(request):
    stage = request.GET.get("stage", "")
    projects = selectors.projects_for(request.user)
    if stage in Stage.values:
        projects = projects.filter(stage=stage)
    if request.GET.get("export") == "xlsx":
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
        return xlsx_response(table_workbook(_("Project ledger"), headers, rows), "projects.xlsx")
    return render(
        request,
        "purchasing/project_list.html",
        {
            "page": Paginator(projects, 50).get_page(request.GET.get("page")),
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
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST":
        ok, project = submit_form(
            request,
            form,
            lambda data: services.project_create(actor=request.user, **data),
            _("The project has been registered."),
        )
        if ok:
            return redirect("purchasing:project-detail", pk=project.pk)
    return render(request, "purchasing/project_form.html", {"form": form})


# The step forms a stage offers (and who may use them: "manage" or "agency").
STEP_FORMS = {
    Stage.BUDGETED: {"procure": ProcureForm},
    Stage.PROCURING: {"award": AwardForm, "contract": ContractForm},
    Stage.CONTRACTED: {
        "report": ReportForm,
        "indicators": IndicatorsForm,
        "assign": AssignForm,
        "close": CloseForm,
    },
}
AGENCY_STEPS = {"report"}


def _make_form(name, project, data=None):
    form_class = STEP_FORMS.get(project.stage, {}).get(name)
    if form_class is None:
        return None
    if form_class in (ContractForm, IndicatorsForm):
        return form_class(data, project=project)
    return form_class(data)


def _detail(request, project, bound=None, status=200):
    """The project page; ``bound`` is (step, form) when a posted step failed."""
    user = request.user
    manage = services.may_manage(user, project)
    agency = services.is_agency_staff(user, project)
    forms = {}
    for name in STEP_FORMS.get(project.stage, {}):
        if manage or (agency and name in AGENCY_STEPS):
            posted = bound is not None and bound[0] == name
            forms[name] = bound[1] if posted else _make_form(name, project)
    instalments = []
    for instalment in project.instalments.select_related("project").prefetch_related(
        "project__evaluations"
    ):
        payable, why = services.instalment_payable(instalment)
        instalments.append({"object": instalment, "payable": payable, "why": why})
    [row] = indicators.board([project]) if project.stage != Stage.BUDGETED else [None]
    return render(
        request,
        "purchasing/project_detail.html",
        {
            "project": project,
            "forms": forms,
            "may_manage": manage,
            "instalments": instalments,
            "pay_form": PayForm(),
            "row": row,
            "evaluations": project.evaluations.select_related("evaluator"),
            "staffing": selectors.staffing(project) if project.stage != Stage.BUDGETED else [],
            "reports": project.reports.select_related("submitted_by")[:12],
        },
        status=status,
    )


@scoped_page
def project_detail(request, pk):
    return _detail(request, selectors.project_get(request.user, pk))


STEP_ACTIONS = {
    "procure": services.procurement_start,
    "award": services.procurement_award,
    "contract": services.contract_sign,
    "report": services.progress_report_add,
    "assign": services.evaluation_assign,
    "close": services.project_close,
    "indicators": services.indicators_set,
}


@require_POST
@scoped_page
def project_step(request, pk, step):
    project = selectors.project_get(request.user, pk)
    if step not in STEP_ACTIONS:
        raise Http404
    form = _make_form(step, project, request.POST)
    if form is None:
        messages.error(
            request,
            _("A project that is %(stage)s cannot take this step.")
            % {"stage": project.get_stage_display()},
        )
        return redirect("purchasing:project-detail", pk=pk)
    if form.is_valid():
        data = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
        try:
            STEP_ACTIONS[step](project=project, actor=request.user, **data)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("purchasing:project-detail", pk=pk)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The project has been updated."))
            return redirect("purchasing:project-detail", pk=pk)
    return _detail(request, project, bound=(step, form), status=400)


@require_POST
@scoped_page
def instalment_pay(request, pk, instalment_id):
    project = selectors.project_get(request.user, pk)
    instalment = get_object_or_404(project.instalments, pk=instalment_id)
    form = PayForm(request.POST)
    if form.is_valid():
        try:
            services.instalment_pay(
                instalment=instalment,
                actor=request.user,
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The payment has been recorded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("purchasing:project-detail", pk=pk)


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


@scoped_page
def ledger(request):
    by = request.GET.get("by", "project")
    if by not in {"project", "purchaser", "funding_source"}:
        by = "project"
    rows = selectors.ledger(request.user, group_by=by)
    if request.GET.get("export") == "xlsx":
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
        return xlsx_response(table_workbook(_("Budget ledger"), headers, data), "ledger.xlsx")
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


def _evidence(evaluation) -> dict[str, dict]:
    """Each metric's computed value (and its target, where the project sets one)."""
    [row] = indicators.board([evaluation.project])
    targets = {f.metric: f.target for f in row.figures if not f.group_id}
    return {
        metric: {
            "name": Metric(metric).label,
            "value": value,
            "target": targets.get(metric),
            "metric": metric,
        }
        for metric, value in row.values.items()
    }


@scoped_page
def evaluation_detail(request, pk):
    evaluation = selectors.evaluation_get(request.user, pk)
    criteria = list(Criterion.objects.filter(is_active=True))
    scores = {s.criterion_id: s for s in evaluation.scores.all()}
    is_evaluator = evaluation.evaluator_id == request.user.pk
    editable = is_evaluator and evaluation.status == Evaluation.Status.ASSIGNED
    errors = {}
    if request.method == "POST" and editable:
        submitted = {}
        for c in criteria:
            raw = request.POST.get(f"points_{c.pk}", "").strip()
            if raw == "":
                continue
            try:
                submitted[c.pk] = (Decimal(raw), request.POST.get(f"comment_{c.pk}", ""))
            except InvalidOperation:
                errors[f"score_{c.pk}"] = [_("Enter a number.")]
        if not errors:
            try:
                services.evaluation_score(
                    evaluation=evaluation,
                    actor=request.user,
                    scores=submitted,
                    comments=request.POST.get("comments", ""),
                    submit="submit" in request.POST,
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("The scores have been saved."))
                return redirect("purchasing:evaluation-detail", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied
    if request.GET.get("export") == "xlsx":
        headers = [_("dimension"), _("criterion"), _("full marks"), _("points"), _("comment")]
        rows = [
            [
                c.get_dimension_display(),
                c.name,
                c.weight,
                scores[c.pk].points if c.pk in scores else "",
                scores[c.pk].comment if c.pk in scores else "",
            ]
            for c in criteria
        ]
        rows.append([_("total"), "", sum(c.weight for c in criteria), evaluation.score, ""])
        rows.append([_("grade"), evaluation.get_grade_display(), "", "", evaluation.comments])
        return xlsx_response(
            table_workbook(_("Evaluation sheet"), headers, rows), "evaluation.xlsx"
        )
    evidence = _evidence(evaluation)
    lines = [
        {
            "criterion": c,
            "score": scores.get(c.pk),
            "posted": request.POST.get(f"points_{c.pk}") if request.method == "POST" else None,
            "error": (errors.get(f"score_{c.pk}") or [""])[0],
            "evidence": evidence.get(c.indicator),
        }
        for c in criteria
    ]
    return render(
        request,
        "purchasing/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "lines": lines,
            "editable": editable,
            "errors": [m for k, ms in errors.items() if not k.startswith("score_") for m in ms],
            "can_respond": services.is_agency_staff(request.user, evaluation.project)
            and evaluation.status == Evaluation.Status.SUBMITTED,
            "respond_form": RespondForm(),
            "evidence": evaluation.evidence.all(),
        },
        status=400 if errors else 200,
    )


@require_POST
@scoped_page
def evaluation_respond(request, pk):
    evaluation = selectors.evaluation_get(request.user, pk)
    form = RespondForm(request.POST)
    ok, _result = submit_form(
        request,
        form,
        lambda data: services.evaluation_respond(evaluation=evaluation, actor=request.user, **data),
        _("Your response has been recorded."),
    )
    if not ok:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("purchasing:evaluation-detail", pk=pk)


@scoped_page
def agency_list(request):
    return render(
        request,
        "purchasing/agency_list.html",
        {"agencies": Agency.objects.all(), "can_edit": can_edit_network(request.user)},
    )


@scoped_page
def agency_detail(request, pk):
    agency = get_object_or_404(Agency, pk=pk)
    record = selectors.agency_record(agency)
    visible = set(selectors.projects_for(request.user).values_list("pk", flat=True))
    return render(
        request,
        "purchasing/agency_detail.html",
        {
            "agency": agency,
            "record": record,
            "visible": visible,
            "staff": agency.staff.filter(is_active=True)[:100],
            "can_edit": can_edit_network(request.user),
        },
    )


@scoped_page(check=can_edit_network)
def agency_edit(request, pk=None):
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        from shegong.common.services import save_with_history

        saved = save_with_history(form.save(commit=False), actor=request.user)
        messages.success(request, _("The agency has been saved."))
        return redirect("purchasing:agency-detail", pk=saved.pk)
    return render(
        request,
        "purchasing/agency_form.html",
        {"form": form, "agency": agency},
        status=400 if form.errors else 200,
    )


@require_POST
@scoped_page
def evidence_add(request, pk):
    evaluation = selectors.evaluation_get(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect("purchasing:evaluation-detail", pk=pk)
    try:
        services.evidence_add(evaluation=evaluation, actor=request.user, upload=upload)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The evidence has been added."))
    return redirect("purchasing:evaluation-detail", pk=pk)


@scoped_page
def evidence_download(request, pk, evidence_id):
    from shegong.common.views import file_download

    evaluation = selectors.evaluation_get(request.user, pk)
    return file_download(get_object_or_404(evaluation.evidence, pk=evidence_id).file)
