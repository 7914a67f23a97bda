"""Recompute the audit chains (sensitive-data accesses, logins) and fail on the first row
that was edited or deleted. Exits non-zero naming that row; prints each chain's head hash,
which an operator may keep elsewhere to prove later that the whole chain was not rebuilt."""

from django.core.management.base import BaseCommand, CommandError

from shegong.audit.chain import verify
from shegong.audit.models import CHAINED_MODELS


class Command(BaseCommand):
    help = "Verify the hash chains of the audit and login records."

    def handle(self, *args, **options):
        broken = []
        for model in CHAINED_MODELS:
            verdict = verify(model)
            if verdict.broken is not None:
                broken.append(verdict.broken)
                self.stderr.write(f"BROKEN {verdict.broken}")
            else:
                self.stdout.write(
                    f"{model.chain_name}: {verdict.rows} rows intact, head {verdict.head or '-'}"
                )
        if broken:
            raise CommandError(f"audit chain broken: {broken[0]}")
