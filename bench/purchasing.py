"""The indicator board (issue 4): every indicator of 200 contracted projects computed from
2,000,000 service records, next to the bare SQL aggregation of the same figures.

Uses the casework data (Yubei's clients and service records) and adds 200 projects, each
covering a few of Yubei's units, with every template of the indicator library; each
service record counts for the project covering its unit (written with bulk updates, the
rules of ``project_link_problem`` kept: contracted, covering the unit, within the period).
"""

import datetime
from decimal import Decimal

from django.db import connection, transaction

from .casework_data import DISTRICT

PROJECTS = 200
PREFIX = "基准项目"


def ensure_projects(actor, out=print) -> list[int]:
    from shegong.purchasing.models import Project
    from shegong.records.models import ServiceRecord

    existing = list(
        Project.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    linked = ServiceRecord.objects.filter(project_id__in=existing).count() if existing else 0
    total = ServiceRecord.objects.filter(unit__division__code__startswith=DISTRICT).count()
    if len(existing) == PROJECTS and linked == total:
        out(f"Projects already loaded: {PROJECTS} projects over {linked:,} service records.")
        return existing
    with transaction.atomic():
        ServiceRecord.objects.filter(project__name__startswith=PREFIX).update(project=None)
        Project.objects.filter(name__startswith=PREFIX).delete()
        projects = _create_projects()
        owner = _cover_units(projects)
        _add_indicators(projects)
        with connection.cursor() as cursor:
            for unit_pk, project_pk in owner.items():
                cursor.execute(
                    "UPDATE records_servicerecord SET project_id = %s WHERE unit_id = %s",
                    [project_pk, unit_pk],
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ids = [p.pk for p in projects]
    out(f"Loaded {PROJECTS} projects over {total:,} service records.")
    return ids


def _create_projects() -> list:
    """The contracted projects, running over the three years of service records."""
    from shegong.network.models import Agency
    from shegong.purchasing.models import Project, Purchaser

    purchaser, _ = Purchaser.objects.get_or_create(
        name="渝北区民政局（基准测试）",
        defaults={"kind": "civil_affairs", "division_id": DISTRICT},
    )
    agency = Agency.objects.order_by("pk").first()
    today = datetime.date.today()
    start, end = (
        today - datetime.timedelta(days=3 * 365 + 1),
        today + datetime.timedelta(days=30),
    )
    return Project.objects.bulk_create(
        [
            Project(
                purchaser=purchaser,
                division_id=DISTRICT,
                name=f"{PREFIX}{i + 1:03d}",
                funding_source="lottery",
                budget_amount=Decimal("300000"),
                budget_approved_on=start - datetime.timedelta(days=60),
                stage="contracted",
                procurement_method="public_tender",
                procurement_started_on=start - datetime.timedelta(days=50),
                awarded_on=start - datetime.timedelta(days=20),
                agency=agency,
                contract_number=f"BENCH-{i + 1:03d}",
                contract_amount=Decimal("280000"),
                start_on=start,
                end_on=end,
            )
            for i in range(PROJECTS)
        ]
    )


def _cover_units(projects) -> dict[int, int]:
    """Each of Yubei's stations and rooms covered by one project; return unit → project."""
    from shegong.network.models import Unit, UnitKind
    from shegong.purchasing.models import Project

    units = list(
        Unit.objects.filter(division__code__startswith=DISTRICT)
        .exclude(kind=UnitKind.CENTER)
        .order_by("division_id")
    )
    through = Project.units.through
    owner = {}
    rows = []
    for index, unit in enumerate(units):
        project = projects[index % PROJECTS]
        owner[unit.pk] = project.pk
        rows.append(through(project_id=project.pk, unit_id=unit.pk))
    through.objects.bulk_create(rows)
    return owner


def _add_indicators(projects) -> None:
    """Every template of the indicator library on every project, and one instalment."""
    from shegong.purchasing.models import IndicatorTemplate, Instalment, ProjectIndicator

    templates = list(IndicatorTemplate.objects.all())
    ProjectIndicator.objects.bulk_create(
        [
            ProjectIndicator(project=p, template=t, target=100, weight=t.default_weight)
            for p in projects
            for t in templates
        ]
    )
    Instalment.objects.bulk_create([Instalment(project=p, number=1, share=100) for p in projects])


def bare_board(project_ids: list[int], group_ids: list[int]) -> dict:
    """The same figures in plain SQL: one grouped statement per family of figures."""
    ids = list(project_ids)
    out: dict = {}
    with connection.cursor() as cursor:
        marks = ",".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT project_id, COUNT(*), SUM(duration_minutes), "
            f"SUM(CASE WHEN method = 'visit' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN method = 'group' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN method = 'community' THEN 1 ELSE 0 END) "
            f"FROM records_servicerecord WHERE project_id IN ({marks}) GROUP BY project_id",
            ids,
        )
        out["records"] = cursor.fetchall()
        cursor.execute(
            f"SELECT r.project_id, COUNT(DISTINCT t.client_id) FROM records_servicerecord r "
            f"JOIN records_servicerecord_clients t ON t.servicerecord_id = r.id "
            f"WHERE r.project_id IN ({marks}) GROUP BY r.project_id",
            ids,
        )
        out["clients"] = cursor.fetchall()
        for group_id in group_ids:
            cursor.execute(
                f"SELECT r.project_id, COUNT(DISTINCT t.client_id) FROM records_servicerecord r "
                f"JOIN records_servicerecord_clients t ON t.servicerecord_id = r.id "
                f"JOIN clients_membership m ON m.client_id = t.client_id "
                f"WHERE r.project_id IN ({marks}) AND m.group_id = %s AND m.end_on IS NULL "
                f"GROUP BY r.project_id",
                [*ids, group_id],
            )
            out[f"group {group_id}"] = cursor.fetchall()
        cursor.execute(
            f"SELECT r.project_id, COUNT(DISTINCT c.id), "
            f"COUNT(DISTINCT CASE WHEN c.stage = 'closed' AND c.closure_reason = 'goals_met' "
            f"THEN c.id END), AVG(c.satisfaction) FROM cases_case c "
            f"JOIN records_servicerecord r ON r.case_id = c.id "
            f"WHERE r.project_id IN ({marks}) GROUP BY r.project_id",
            ids,
        )
        out["cases"] = cursor.fetchall()
        cursor.execute(
            f"SELECT pu.project_id, COUNT(DISTINCT f.id) FROM referrals_referral f "
            f"JOIN purchasing_project_units pu ON pu.unit_id = f.from_unit_id "
            f"JOIN purchasing_project p ON p.id = pu.project_id "
            f"WHERE f.status = 'completed' AND pu.project_id IN ({marks}) "
            f"AND DATE(f.created_at) BETWEEN p.start_on AND p.end_on GROUP BY pu.project_id",
            ids,
        )
        out["referrals"] = cursor.fetchall()
    return out


def bench_board(users, runs, warmup, measure_pair) -> list:
    from shegong.purchasing import indicators
    from shegong.purchasing.models import IndicatorTemplate, Project

    ids = ensure_projects(users["district"])
    projects = list(Project.objects.filter(pk__in=ids).select_related("purchaser", "agency"))
    groups = [g for g in IndicatorTemplate.objects.values_list("target_group_id", flat=True) if g]

    def figure():
        return indicators.board(projects)

    def floor():
        return bare_board(ids, groups)

    rows, bare = figure(), floor()
    by_project = {pk: (n, minutes) for pk, n, minutes, *_rest in bare["records"]}
    for row in rows:
        values = row.values
        n, minutes = by_project.get(row.project.pk, (0, 0))
        assert values["services"] == n and values["service_hours"] == round(minutes / 60, 1)
    clients = dict(bare["clients"])
    assert all(row.values["clients_served"] == clients.get(row.project.pk, 0) for row in rows)
    figures = sum(len(r.figures) for r in rows)
    print(
        f"Indicator board: {len(rows)} projects, {figures:,} figures over "
        f"{sum(n for n, _m in by_project.values()):,} service records; the bare SQL gives "
        "the same counts, hours and clients served."
    )
    return [
        measure_pair(
            f"indicator board, {len(rows)} projects",
            ("indicators.board", figure),
            ("bare SQL aggregation", floor),
            runs=runs,
            warmup=warmup,
        )
    ]
