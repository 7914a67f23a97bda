import os
import stat
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shegong.access.models import User
from shegong.access.services import generate_password, user_set_password
from shegong.demo.otp import seed_two_factor
from shegong.demo.seed import seed_demo
from shegong.divisions.models import Division


class Command(BaseCommand):
    help = "Seed a district with a synthetic network, workers and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("district", nargs="?", default=settings.SHEGONG_DISTRICT_CODE)

    def handle(self, *args, district, **options):
        if not Division.objects.filter(code=district).exists():
            raise CommandError(f"Division {district} is not loaded; run load_divisions first.")
        password_file = Path(settings.VAR_DIR) / "demo-password.txt"
        password = os.environ.get("SHEGONG_ADMIN_PASSWORD") or generate_password()
        accounts = seed_demo(district, password=password)
        if not accounts:
            self.stdout.write("Demo data already present; nothing changed.")
            if os.environ.get("SHEGONG_ADMIN_PASSWORD"):
                admin = User.objects.get(username="admin")
                if not admin.check_password(password):  # the last few are not reused
                    user_set_password(user=admin, password=password, actor=None)
            self._two_factor()
            return
        password_file.write_text(password + "\n")
        password_file.chmod(stat.S_IRUSR | stat.S_IWUSR)
        self.stdout.write(self.style.SUCCESS(f"Seeded {district}. Demo accounts:"))
        for username, what in accounts.items():
            self.stdout.write(f"  {username:10} {what}")
        self._two_factor()

    def _two_factor(self):
        """The administrators log in with a second factor: one TOTP secret for all of
        them, printed and kept in var/demo-otp.txt (the account pages can re-enrol)."""
        secret, users = seed_two_factor()
        if users:
            names = ", ".join(user.username for user in users)
            self.stdout.write(
                f"Second factor of {names}: TOTP secret {secret} (var/demo-otp.txt; "
                "`manage.py demo_otp` prints the current code)."
            )
