"""The demo's purchased services: the purchasing departments and about twenty projects at
every stage. A project is contracted before the services it pays for are recorded (so a
worker can file them under it, as on the form) and is evaluated, paid and closed after."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from shegong.network.models import UnitKind
from shegong.purchasing import services
from shegong.purchasing.models import Criterion, IndicatorTemplate, Purchaser, Stage

from .context import Demo

PURCHASERS = [
    # Prefixed with the district's name: 渝北区民政局, 渝北区委政法委…
    ("民政局", "civil_affairs"),
    ("卫生健康委员会", "health"),
    ("委政法委", "political_legal"),
    ("委宣传部", "propaganda"),
    ("妇联", "women"),
]
PROJECT_KINDS = [
    ("社会工作站运营项目", "lottery"),
    ("困境儿童关爱服务项目", "assistance_fund"),
    ("老年人心理关爱项目", "department_budget"),
    ("社区矫正社会工作服务项目", "department_budget"),
    ("新时代文明实践社工服务项目", "charity"),
]
# The stage each project is taken to, in order.
# "awarded" is the demo's own step: in procurement with a winner chosen, not yet signed.
AWARDED = "awarded"
STAGES = (
    [Stage.BUDGETED] * 3
    + [Stage.PROCURING] * 2
    + [AWARDED]
    + [Stage.CONTRACTED] * 10
    + [Stage.CLOSED] * 4
)


@dataclass
class Contract:
    """A contracted project and the stage the demo leaves it at: contracted or closed."""

    project: object
    stage: str


class Funding:
    """Which contracted project pays for a service: the first that covers the unit (or the
    unit above it) on the day, as a worker would pick it on the service record's form."""

    def __init__(self, contracts: list[Contract]):
        self._covered = [
            (c.project, tuple(u.division_id for u in c.project.units.all())) for c in contracts
        ]

    def project_for(self, unit, day: datetime.date):
        for project, codes in self._covered:
            if project.start_on <= day <= project.end_on and unit.division_id.startswith(codes):
                return project
        return None


def seed_purchasers(demo: Demo) -> list[Purchaser]:
    """The district's purchasing departments, kept if registered already."""
    district = demo.district
    purchasers = []
    for suffix, kind in PURCHASERS:
        name = f"{district.name}{suffix}"
        purchaser = Purchaser.objects.filter(name=name).first()
        if purchaser is None:
            purchaser = services.purchaser_create(
                actor=None, name=name, kind=kind, division=district
            )
        purchasers.append(purchaser)
    return purchasers


def seed_projects(demo: Demo, admin, purchasers, agencies) -> list[Contract]:
    """Every project as far as its contract: budgeted, procuring, awarded or contracted
    (the closed ones too, for now). Returns the contracted ones."""
    stations = list(demo.units(UnitKind.STATION))
    templates = list(IndicatorTemplate.objects.all())
    contracts = []
    for index, stage in enumerate(STAGES):
        covered = stations[(index * 2) % max(1, len(stations)) :][:2] or stations[:1]
        project = _project(demo, admin, index, stage, purchasers, agencies, covered, templates)
        if project is None:
            continue
        contracts.append(Contract(project, stage))
    return contracts


def _targets(demo: Demo, templates) -> dict:
    """A target per indicator, on its scale (a satisfaction score of 4.5 of 5)."""
    targets = {}
    for template in templates:
        if template.target_max is not None:
            target = min(template.target_max, Decimal("4.5"))
        else:
            target = Decimal(demo.rng.choice([10, 20, 40, 80]))
        targets[template] = (max(target, template.target_min), template.default_weight)
    return targets


def _project(demo: Demo, admin, index, stage, purchasers, agencies, covered, templates):
    """The ``index``-th project taken to ``stage`` or its contract; the contracted project,
    or None if it stops before."""
    rng, today = demo.rng, demo.today
    name, source = PROJECT_KINDS[index % len(PROJECT_KINDS)]
    year = today.year - (1 if stage == Stage.CLOSED else 0)
    budget = Decimal(rng.choice([180000, 240000, 300000, 360000]))
    days_ago = rng.randint(400, 600) if stage == Stage.CLOSED else rng.randint(30, 300)
    start = today - datetime.timedelta(days=days_ago)
    approved = start - datetime.timedelta(days=60)
    project = services.project_create(
        actor=admin,
        purchaser=purchasers[index % len(purchasers)],
        name=f"{year}年{covered[0].division.name}{name}",
        funding_source=source,
        budget_amount=budget,
        budget_approved_on=approved,
    )
    if stage == Stage.BUDGETED:
        return None
    project = services.procurement_start(
        project=project,
        actor=admin,
        method=rng.choice(["public_tender", "consultation", "negotiation", "inquiry"]),
        started_on=approved + datetime.timedelta(days=10),
    )
    if stage == Stage.PROCURING:
        return None
    # Usually the agency already running the station wins its project.
    project = services.procurement_award(
        project=project,
        actor=admin,
        agency=covered[0].agency or agencies[index % len(agencies)],
        awarded_on=approved + datetime.timedelta(days=40),
    )
    if stage == AWARDED:
        return None
    return services.contract_sign(
        project=project,
        actor=admin,
        contract_number=f"YB-GM-{approved:%Y}-{index + 1:03d}",
        contract_amount=(budget * Decimal("0.95")).quantize(Decimal("1")),
        start_on=start,
        end_on=start + datetime.timedelta(days=364),
        units=covered,
        commitments=[(u, 1) for u in covered],
        instalments=[(40, "", None), (30, "mid", None), (30, "final", None)],
        targets=_targets(demo, templates),
    )


def finish_projects(demo: Demo, admin, evaluator, contracts: list[Contract]) -> None:
    """The first instalment paid on starting; past half a year, the mid-term evaluation and
    usually the second instalment; the closed ones evaluated, paid in full and closed."""
    rng, today = demo.rng, demo.today
    criteria = list(Criterion.objects.filter(is_active=True))
    for contract in contracts:
        project, closed = contract.project, contract.stage == Stage.CLOSED
        instalment = project.instalments.get
        services.instalment_pay(
            instalment=instalment(number=1), actor=admin, paid_on=project.start_on
        )
        if (today - project.start_on).days > 180 or closed:
            _score(project, "mid", rng.uniform(0.65, 0.98), admin, evaluator, criteria)
            if rng.random() < 0.8:
                _pay(
                    instalment(number=2),
                    admin,
                    min(today, project.start_on + datetime.timedelta(days=200)),
                )
        if closed:
            _score(project, "final", rng.uniform(0.6, 0.98), admin, evaluator, criteria)
            paid_on = min(today, project.end_on + datetime.timedelta(days=20))
            _pay(instalment(number=3), admin, paid_on)
            services.project_close(
                project=project,
                actor=admin,
                closed_on=min(today, project.end_on + datetime.timedelta(days=30)),
            )


OVERRIDE = "已约谈机构并书面整改，按合同及评估结果支付"


def _pay(instalment, admin, paid_on) -> None:
    """Pay what the grade allows; where delivery lags, with the bureau's override reason
    (as a purchaser would after hearing the agency)."""
    reason = OVERRIDE if services.needs_override(instalment) else ""
    services.instalment_pay(
        instalment=instalment, actor=admin, paid_on=paid_on, override_reason=reason
    )


def _score(project, kind, quality: float, admin, evaluator, criteria) -> None:
    """An evaluation assigned to the demo evaluator and submitted, every criterion scored at
    ``quality`` of its weight."""
    evaluation = services.evaluation_assign(
        project=project,
        actor=admin,
        kind=kind,
        evaluator=evaluator,
        evaluator_body="重庆市某社会工作评估中心",
    )
    services.evaluation_score(
        evaluation=evaluation,
        actor=evaluator,
        scores={
            c.pk: ((c.weight * Decimal(str(quality))).quantize(Decimal("0.5")), "")
            for c in criteria
        },
        comments="服务台账完整，目标基本达成" if quality > 0.75 else "部分指标滞后，需整改",
        submit=True,
    )
