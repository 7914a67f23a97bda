"""The first account of a new deployment, without a superuser: the district's guidance centre
(registered if it is not yet) and its district administrator, who then registers the rest."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shegong.access import services as access_services
from shegong.access.models import Role
from shegong.divisions.models import Division, Level
from shegong.network import services as network_services
from shegong.network.models import Unit, UnitKind


class Command(BaseCommand):
    help = (
        "Register a district's guidance centre (if missing) and its first district "
        "administrator; prints the generated first password once."
    )

    def add_arguments(self, parser):
        parser.add_argument("district", help="the district's 6-digit division code")
        parser.add_argument("--admin", required=True, help="username of the administrator")
        parser.add_argument("--name", default="", help="display name of the administrator")

    @transaction.atomic
    def handle(self, *args, district, admin, name, **options):
        division = Division.objects.filter(code=district, level=Level.DISTRICT).first()
        if division is None:
            raise CommandError(f"{district} is not a loaded district; run load_divisions first.")
        center = Unit.objects.live().filter(kind=UnitKind.CENTER, division=division).first()
        try:
            if center is None:
                center = network_services.unit_create(
                    actor=None,
                    kind=UnitKind.CENTER,
                    division=division,
                    name=f"{division.name}社会工作指导中心",
                )
            user, password = access_services.user_create(
                actor=None, username=admin, display_name=name or admin, division=division
            )
            access_services.grant_add(user=user, role=Role.DISTRICT_ADMIN, unit=center, actor=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{center.name}: district administrator '{admin}' created.")
        self.stdout.write(f"First password (shown once, change it at first login): {password}")
        self.stdout.write(
            "At the first login the administrator chooses a new password and enrols an "
            "authenticator app (second factor)."
        )
