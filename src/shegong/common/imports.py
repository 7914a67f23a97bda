"""Excel in: read a sheet, map its columns, apply a row function, all or nothing.

The district's registers live in Excel. An import reads the first sheet with
python-calamine, matches header cells to fields (by the Chinese label or the field name),
runs each row through the same service the pages use, and commits only if every row is
valid; otherwise the report names each bad row and field and nothing is written. A dry run
checks everything and always rolls back.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# A background job (see jobs.py) takes the district's largest lists.
JOB_MAX_UPLOAD_BYTES = 60 * 1024 * 1024
JOB_MAX_ROWS = 300_000


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not a workbook, missing columns…)."""


@dataclass
class RowError:
    row: int  # the spreadsheet's own row number, as the user sees it
    field: str  # the column label
    message: str


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the header the template writes; lookups also accept ``field``
    required: bool = False
    example: object = ""
    aliases: tuple = ()  # other headers real spreadsheets use for this column


def cell_text(value) -> str:
    """A cell as text: numbers that are whole (codes read as floats) lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def cell_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(_("Enter a date as YYYY-MM-DD.")) from exc


def choice_value(text: str, choices) -> str:
    """A choice by its code or its label in any of the site's languages."""
    for value, label in choices:
        names = {value}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(label))
        if text in names:
            return value
    raise ValueError(_("Not one of: %s") % "、".join(str(label) for _v, label in choices))


class Rows(list):
    """``[(row number, {field: raw value})]``, plus the file's own header of each field,
    so the error report speaks of the columns as the user named them."""

    headers: dict[str, str]


def read_rows(upload, columns: list[Column], *, limit=MAX_ROWS, max_bytes=MAX_UPLOAD_BYTES) -> Rows:
    """The data rows of the first sheet of an .xlsx upload."""
    if max_bytes and upload.size > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    if not upload.name.lower().endswith((".xlsx", ".xls", ".ods")):
        raise ImportFileError(_("Upload an Excel workbook (.xlsx)."))
    try:
        sheet = CalamineWorkbook.from_filelike(upload).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFileError(_("The file cannot be read as an Excel workbook.")) from exc
    header_index = next(
        (i for i, row in enumerate(sheet[:10]) if any(cell_text(c) for c in row)), None
    )
    if header_index is None:
        raise ImportFileError(_("The sheet is empty."))
    headers = [cell_text(c) for c in sheet[header_index]]
    positions = {}
    for column in columns:
        for i, header in enumerate(headers):
            if header in {column.label, column.field, *column.aliases}:
                positions[column.field] = i
    missing = [c.label for c in columns if c.required and c.field not in positions]
    if missing:
        raise ImportFileError(_("Missing columns: %s") % "、".join(missing))
    rows = Rows()
    rows.headers = {name: headers[i] for name, i in positions.items()}
    for offset, row in enumerate(sheet[header_index + 1 :], start=header_index + 2):
        values = {f: row[i] if i < len(row) else "" for f, i in positions.items()}
        if any(cell_text(v) for v in values.values()):
            rows.append((offset, values))
    if limit and len(rows) > limit:
        raise ImportFileError(_("At most %d rows can be imported at once.") % limit)
    return rows


def run_import(rows, handle_row, columns: list[Column], *, dry_run: bool) -> ImportReport:
    """Apply ``handle_row(values)`` to every row inside one transaction; keep it only if
    every row passed and this is not a dry run."""
    labels = {c.field: c.label for c in columns} | getattr(rows, "headers", {})
    report = ImportReport(total=len(rows), dry_run=dry_run)
    with transaction.atomic():
        for number, values in rows:
            try:
                with transaction.atomic():
                    handle_row(values)
            except ValidationError as exc:
                items = (
                    exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
                )
                for name, messages in items:
                    label = labels.get(name, "" if name == "__all__" else name)
                    report.errors.extend(RowError(number, label, m) for m in messages)
            else:
                report.created += 1
        if not report.committed:
            transaction.set_rollback(True)
    if not report.committed:
        report.created = 0
    return report


def template_workbook(title: str, columns: list[Column], notes: list[str]) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .exports import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = str(title)[:31]
    append_row(ws, [c.label for c in columns])
    for cell, column in zip(ws[1], columns, strict=True):
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
    append_row(ws, [c.example for c in columns])
    for index in range(len(columns)):
        ws.column_dimensions[ws.cell(1, index + 1).column_letter].width = 18
    help_sheet = wb.create_sheet(_("Instructions"))
    for line in notes:
        append_row(help_sheet, [line])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# kind -> function(actor) -> (columns, run(rows, dry_run=…, progress=…)), for the background
# jobs. Each app registers its own in its AppConfig.ready, so the kernel names none of them.
_IMPORTERS = {}


def register_importer(kind: str, importer) -> None:
    _IMPORTERS[kind] = importer


def importer_for(kind: str):
    return _IMPORTERS[kind]
