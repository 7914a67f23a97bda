from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.divisions.services import BUNDLED_DIR, DivisionFileError, load_divisions


class Command(BaseCommand):
    help = (
        "Load statistical division codes for one area from china-division CSV files "
        "(provinces/cities/areas/streets/villages.csv). Idempotent; writes nothing if any "
        "row is malformed."
    )

    def add_arguments(self, parser):
        parser.add_argument("area_code", nargs="?", default="500112", help="e.g. 500112")
        parser.add_argument(
            "--dir", default=str(BUNDLED_DIR), help="folder holding the five CSV files"
        )

    def handle(self, *args, area_code, dir, **options):
        try:
            report = load_divisions(Path(dir), area_code)
        except DivisionFileError as exc:
            raise CommandError(
                "Nothing was loaded; the files have these problems:\n"
                + "\n".join(exc.errors[:50])
                + (f"\n… and {len(exc.errors) - 50} more" if len(exc.errors) > 50 else "")
            ) from exc
        self.stdout.write(
            f"{area_code}: {report.total} divisions in the files; added {len(report.added)}, "
            f"renamed {len(report.renamed)}, removed {len(report.removed)}, "
            f"reactivated {len(report.reactivated)}."
        )
        for code, old, new in report.renamed[:20]:
            self.stdout.write(f"  renamed {code}: {old} → {new}")
        for code in report.removed[:20]:
            self.stdout.write(f"  removed {code}")
