"""Loading divisions from the public china-division CSV files.

The dataset has one file per level (provinces, cities, areas, streets, villages). A load
takes the rows under one area code (any prefix), checks all of them first and writes
nothing if any row is malformed; then it adds, renames and deactivates in one transaction.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Division, Level

FILES = [
    ("provinces.csv", Level.PROVINCE, ["code", "name"], None),
    ("cities.csv", Level.CITY, ["code", "name", "provinceCode"], "provinceCode"),
    ("areas.csv", Level.DISTRICT, ["code", "name", "cityCode", "provinceCode"], "cityCode"),
    (
        "streets.csv",
        Level.TOWN,
        ["code", "name", "areaCode", "provinceCode", "cityCode"],
        "areaCode",
    ),
    (
        "villages.csv",
        Level.VILLAGE,
        ["code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"],
        "streetCode",
    ),
]

BUNDLED_DIR = Path(__file__).resolve().parent / "data" / "chongqing"


class DivisionFileError(Exception):
    """The files are malformed; ``errors`` lists each problem with its file and line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    total: int = 0


def read_division_files(directory: Path, area_code: str) -> dict[str, tuple[str, int, str | None]]:
    """Return ``{code: (name, level, parent_code)}`` for ``area_code``, its ancestors and
    everything under it, or raise DivisionFileError listing every problem found."""
    directory = Path(directory)
    errors: list[str] = []
    if not area_code.isdigit() or len(area_code) not in Level.values:
        raise DivisionFileError([_("Area code %s is not a division code.") % area_code])
    rows: dict[str, tuple[str, int, str | None]] = {}
    for filename, level, columns, parent_column in FILES:
        path = directory / filename
        if not path.exists():
            errors.append(_("%s is missing.") % path)
            continue
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                if reader.fieldnames is None or any(c not in reader.fieldnames for c in columns):
                    errors.append(
                        _("%(file)s: the header must be %(columns)s.")
                        % {"file": filename, "columns": ",".join(columns)}
                    )
                    continue
                for line, row in enumerate(reader, start=2):
                    code = (row.get("code") or "").strip()
                    if not (code.startswith(area_code) or area_code.startswith(code)):
                        continue
                    name = (row.get("name") or "").strip()
                    parent = (row.get(parent_column) or "").strip() if parent_column else None
                    where = f"{filename}:{line}"
                    if not code.isdigit() or len(code) != level:
                        errors.append(
                            _("%(where)s: code %(code)s should have %(n)d digits.")
                            % {"where": where, "code": code, "n": level}
                        )
                        continue
                    if not name:
                        errors.append(_("%(where)s: the name is empty.") % {"where": where})
                    if parent_column and (not parent or not code.startswith(parent)):
                        errors.append(
                            _("%(where)s: parent code %(parent)s does not prefix %(code)s.")
                            % {"where": where, "parent": parent, "code": code}
                        )
                    if code in rows:
                        errors.append(
                            _("%(where)s: code %(code)s appears twice.")
                            % {"where": where, "code": code}
                        )
                    rows[code] = (name, level, parent)
        except (UnicodeDecodeError, csv.Error) as exc:
            errors.append(
                _("%(file)s cannot be read: %(error)s") % {"file": filename, "error": exc}
            )
    for code, (_name, _level, parent) in rows.items():
        if parent and parent not in rows:
            errors.append(
                _("Code %(code)s refers to parent %(parent)s, which is not in the files.")
                % {"code": code, "parent": parent}
            )
    if not errors and area_code not in rows:
        errors.append(_("Area code %s is not in the files.") % area_code)
    if errors:
        raise DivisionFileError(errors)
    return rows


@transaction.atomic
def load_divisions(directory: Path, area_code: str) -> LoadReport:
    rows = read_division_files(directory, area_code)
    report = LoadReport(total=len(rows))
    existing = {d.code: d for d in Division.objects.filter(code__in=list(rows))}
    under = Division.objects.filter(code__startswith=area_code).exclude(code=area_code)
    # Parents before children, so foreign keys resolve.
    to_create = []
    for code in sorted(rows, key=len):
        name, level, parent = rows[code]
        current = existing.get(code)
        if current is None:
            to_create.append(Division(code=code, name=name, level=level, parent_id=parent))
            report.added.append(code)
        else:
            updates = []
            if current.name != name:
                report.renamed.append((code, current.name, name))
                current.name = name
                updates.append("name")
            if not current.is_active:
                report.reactivated.append(code)
                current.is_active = True
                updates.append("is_active")
            if updates:
                current.save(update_fields=updates)
    Division.objects.bulk_create(sorted(to_create, key=lambda d: len(d.code)), batch_size=2000)
    # Codes no longer published are deactivated, not deleted: units and workers refer to them.
    gone = list(
        under.filter(is_active=True).exclude(code__in=list(rows)).values_list("code", flat=True)
    )
    if gone:
        Division.objects.filter(code__in=gone).update(is_active=False)
        report.removed = gone
    return report
