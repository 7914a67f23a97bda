"""Synthetic demo data for a district (Yubei by default): a realistic network where some
towns are behind, its clients and their casework, and purchased-service projects.

Deterministic (one random source seeded with the district code) and idempotent: a second
run changes nothing. Every record is written through the services the pages use, so the
demo obeys every rule. The steps live in the modules beside this one; this one runs them
in the order their records depend on each other."""

import random

from django.db import transaction
from django.utils import timezone

from shegong.divisions.models import Division
from shegong.network.models import Unit

from . import accounts, casework, clients, network, projects, workbench
from .context import Demo


@transaction.atomic
def seed_demo(district_code: str = "500112", *, password: str, stdout=None) -> dict:
    """Seed the district; returns the demo accounts created as ``{username: what it is}``,
    ``{}`` when the district is seeded already. ``stdout``, if given, hears each step."""
    district = Division.objects.get(code=district_code)
    if Unit.objects.filter(division=district).exists():
        return {}
    demo = Demo(district, random.Random(int(district_code)), timezone.localdate())

    def step(what):
        if stdout is not None:
            stdout.write(f"  {what}…")

    step("network")
    agencies = network.seed_agencies()
    center = network.seed_center(demo, agencies[0])
    network.seed_towns(demo, agencies)
    step("clients")
    clients.seed_clients(demo)
    step("accounts")
    admin, made = accounts.seed_admin(demo, center, password)
    made.update(accounts.seed_staff_accounts(demo, center, password))
    purchasers = projects.seed_purchasers(demo)
    evaluator, project_accounts = accounts.seed_project_accounts(
        demo, password, purchasers[0], agencies[0]
    )
    step("projects")
    contracts = projects.seed_projects(demo, admin, purchasers, agencies)
    funding = projects.Funding(contracts)
    step("visits, referrals and services")
    clients.seed_visits(demo, admin)
    clients.seed_referrals(demo)
    clients.seed_service_records(demo, admin, funding)
    step("cases and activities")
    casework.seed_cases(demo, funding)
    casework.seed_activities(demo)
    step("evaluations and payments")
    projects.finish_projects(demo, admin, evaluator, contracts)
    step("something on every workbench")
    workbench.seed_workbench(demo, admin, evaluator)
    made.update(project_accounts)
    return made
