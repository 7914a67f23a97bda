from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from shegong.people.models import Assignment, Employment

from .models import Evaluation, Grade, Instalment, Project, Purchaser, Stage


def projects_for(user):
    return Project.objects.visible_to(user).select_related("purchaser", "agency")


def project_get(user, pk) -> Project:
    return get_object_or_404(
        projects_for(user).prefetch_related("units", "fields", "target_groups"), pk=pk
    )


def purchasers_for(user):
    """Purchasers in the user's area, and a purchasing department's own."""
    from shegong.access.scoping import scope_prefixes, scope_q

    return Purchaser.objects.filter(
        scope_q(scope_prefixes(user), "division__code") | Q(grants__user=user)
    ).distinct()


def evaluations_for(user):
    return Evaluation.objects.filter(project__in=projects_for(user)).select_related(
        "project", "evaluator"
    )


def evaluation_get(user, pk) -> Evaluation:
    return get_object_or_404(evaluations_for(user), pk=pk)


def paid_by_project(project_ids) -> dict[int, tuple[Decimal, Decimal]]:
    """(paid in all, paid as the advance on signing) per project."""
    rows = (
        Instalment.objects.filter(project_id__in=project_ids, paid_on__isnull=False)
        .values("project_id")
        .annotate(paid=Sum("paid_amount"), advance=Sum("paid_amount", filter=Q(after="")))
        .order_by()
    )
    return {
        r["project_id"]: (r["paid"] or Decimal("0"), r["advance"] or Decimal("0")) for r in rows
    }


def workers_by_project(project_ids, day=None) -> dict[int, int]:
    """Workers of the winning agency posted on ``day`` at a covered unit (or below it).
    Two queries whatever the number of projects: the board calls it for all of them."""
    day = day or timezone.localdate()
    covered: dict[int, tuple[int, list[str]]] = {}
    for pk, agency_id, code in Project.objects.filter(
        pk__in=project_ids, agency__isnull=False
    ).values_list("pk", "agency_id", "units__division_id"):
        if code:
            covered.setdefault(pk, (agency_id, []))[1].append(code)
    agencies = {agency_id for agency_id, _codes in covered.values()}
    postings = defaultdict(list)  # agency -> [(worker, unit division)]
    for worker_id, agency_id, code in (
        Assignment.objects.active_on(day)
        .filter(worker__employer_agency_id__in=agencies)
        .values_list("worker_id", "worker__employer_agency_id", "unit__division_id")
    ):
        postings[agency_id].append((worker_id, code))
    return {
        pk: len({w for w, unit_code in postings[agency_id] if unit_code.startswith(tuple(codes))})
        for pk, (agency_id, codes) in covered.items()
    }


def staffing(project, day=None) -> list[dict]:
    """Each commitment against the agency's full-time workers posted at that unit today."""
    day = day or timezone.localdate()
    rows = []
    for commitment in project.commitments.select_related("unit"):
        posted = (
            Assignment.objects.active_on(day)
            .filter(
                unit=commitment.unit,
                worker__employment=Employment.FULL_TIME,
                worker__is_active=True,
            )
            .select_related("worker")
        )
        if project.agency_id:
            posted = posted.filter(worker__employer_agency_id=project.agency_id)
        workers = [a.worker for a in posted if commitment.role in (a.worker.roles or [])]
        rows.append(
            {
                "unit": commitment.unit,
                "committed": commitment.full_time,
                "actual": len(workers),
                "workers": workers,
                "met": len(workers) >= commitment.full_time,
            }
        )
    return rows


LEDGER_GROUPS = ("project", "purchaser", "funding_source")


def ledger_group(value: str | None) -> str:
    """What the ledger is asked to group by, ``project`` unless one of ``LEDGER_GROUPS``."""
    return value if value in LEDGER_GROUPS else "project"


def ledger(user, *, group_by: str = "project") -> list[dict]:
    """Contract amount, paid, due now and remaining — by project, purchaser or funding
    source. "Due" is what instalments whose condition is met make payable and unpaid."""
    from .services import instalment_payable

    projects = (
        projects_for(user)
        .filter(stage__in=[Stage.CONTRACTED, Stage.CLOSED])
        .prefetch_related("instalments", "evaluations")
    )
    totals: dict = {}
    for project in projects:
        key = {
            "project": (project.pk, project.name),
            "purchaser": (project.purchaser_id, project.purchaser.name),
            "funding_source": (project.funding_source, project.get_funding_source_display()),
        }[group_by]
        row = totals.setdefault(
            key,
            {
                "key": key[0],
                "label": key[1],
                "projects": 0,
                "contract": Decimal("0"),
                "paid": Decimal("0"),
                "due": Decimal("0"),
            },
        )
        row["projects"] += 1
        row["contract"] += project.contract_amount or 0
        for instalment in project.instalments.all():
            if instalment.paid_on:
                row["paid"] += instalment.paid_amount
            else:
                payable, _why = instalment_payable(instalment)
                row["due"] += payable or 0
    for row in totals.values():
        row["remaining"] = row["contract"] - row["paid"]
    return sorted(totals.values(), key=lambda r: str(r["label"]))


def agency_staff(user, agency):
    """The agency's active staff the user may see in the workers register. Agencies are a
    register every account reads, their staff are people: anyone learns how many, only
    readers of those workers learn who (issue 9, least privilege)."""
    from shegong.people.selectors import workers_for

    return workers_for(user).filter(employer_agency=agency, is_active=True).order_by("name")


def agency_record(agency) -> dict:
    """The agency's history across projects: counts by stage and grades of closed ones."""
    projects = agency.projects.select_related("purchaser")
    grades = dict(
        projects.filter(stage=Stage.CLOSED)
        .values_list("final_grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "projects": projects.order_by("-budget_approved_on"),
        "grades": grades,  # by code, for the API
        "grade_labels": [(Grade(g).label, n) for g, n in grades.items() if g],
        "contracted": projects.filter(stage=Stage.CONTRACTED).count(),
        "closed": projects.filter(stage=Stage.CLOSED).count(),
    }


NEXT_STEPS_LIMIT = 20


def next_steps(user, *, today=None, limit: int = NEXT_STEPS_LIMIT) -> list[dict]:
    """What the user's projects wait for, soonest first (at most ``limit``): last month's
    progress report not in (agency staff, and those who buy), evaluations assigned to the
    user and not submitted (evaluators), submitted evaluations the agency has not answered
    (agency staff), and unpaid instalments payable now or due within 30 days (those who
    buy). A month's report is due by the 10th of the next month. Each: ``kind``,
    ``project_id``, ``project``, ``due_on``, ``object_id``, ``note``."""
    from shegong.access.models import Role
    from shegong.access.scoping import has_role

    from .services import instalment_payable

    today = today or timezone.localdate()
    first = today.replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    projects = projects_for(user)
    buys = has_role(user, Role.PURCHASER, Role.DISTRICT_ADMIN)
    delivers = has_role(user, Role.AGENCY_STAFF)
    steps: list[dict] = []

    def step(kind, project, due_on, object_id=None, note=""):
        steps.append(
            {
                "kind": kind,
                "project_id": project.pk,
                "project": project.name,
                "due_on": due_on,
                "object_id": object_id or project.pk,
                "note": note,
            }
        )

    if buys or delivers:
        late = (
            projects.filter(stage=Stage.CONTRACTED, start_on__lt=first)
            .exclude(reports__month=last_month)
            .order_by("start_on", "pk")[:limit]
        )
        for project in late:
            step("report", project, first + timedelta(days=9), note=last_month.strftime("%Y-%m"))
    if has_role(user, Role.EVALUATOR):
        assigned = evaluations_for(user).filter(evaluator=user, status=Evaluation.Status.ASSIGNED)
        for evaluation in assigned.order_by("project__end_on", "pk")[:limit]:
            project = evaluation.project
            step(
                "evaluation", project, project.end_on, evaluation.pk, evaluation.get_kind_display()
            )
    if delivers:
        unanswered = evaluations_for(user).filter(
            status=Evaluation.Status.SUBMITTED, responded_at__isnull=True
        )
        for evaluation in unanswered.order_by("submitted_at", "pk")[:limit]:
            step(
                "response",
                evaluation.project,
                evaluation.submitted_at and timezone.localdate(evaluation.submitted_at),
                evaluation.pk,
                evaluation.get_kind_display(),
            )
    if buys:
        unpaid = (
            Instalment.objects.filter(
                project__in=projects.filter(stage=Stage.CONTRACTED).values("pk"),
                paid_on__isnull=True,
            )
            .filter(Q(due_on__isnull=True) | Q(due_on__lte=today + timedelta(days=30)))
            .select_related("project")
            .prefetch_related("project__evaluations")
            .order_by(F("due_on").asc(nulls_first=True), "project_id", "number")[:limit]
        )
        for instalment in unpaid:
            amount, _why = instalment_payable(instalment)
            if amount is None:
                continue
            step("instalment", instalment.project, instalment.due_on, instalment.pk, f"{amount}")
    steps.sort(key=lambda s: (s["due_on"] is None, s["due_on"] or today))
    return steps[:limit]
