from django.core.management.base import BaseCommand, CommandError

from shegong.demo.otp import current_code, otp_file


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of the demo administrators (from "
        "var/demo-otp.txt), for a newcomer without an authenticator app."
    )

    def handle(self, *args, **options):
        code = current_code()
        if code is None:
            raise CommandError(f"{otp_file()} is missing: run `make demo` (seed_demo) first.")
        self.stdout.write(code)
