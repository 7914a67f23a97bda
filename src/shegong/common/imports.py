"""Excel in: read a sheet, map its columns, apply a row function, all or nothing.

The district's registers live in Excel. An import reads the first sheet with
python-calamine, matches header cells to fields (by the Chinese label or the field name),
runs each row through the same service the pages use, and commits only if every row is
valid; otherwise the report names each bad row and field and nothing is written. A dry run
checks everything and always rolls back.
"""

import datetime
import unicodedata
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
class Outcome:
    """What the rows did, by kind (a roster: people registered, people already registered
    who gained the group…), for the result page, the API and the report workbook."""

    key: str
    label: str
    count: int


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)  # rows skipped as the template's example
    outcomes: list[Outcome] = field(default_factory=list)

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
    examples: list[int]


# The template's example row says so in its first cell ("示例（不导入）"); a row whose first
# cell starts with one of these is an example, whatever the rest of the row holds.
EXAMPLE_MARKS = ("示例", "样例", "example", "sample")


def is_example(row) -> bool:
    """Whether a sheet row is marked as an example (its first cell, column A)."""
    if not row:
        return False
    first = unicodedata.normalize("NFKC", cell_text(row[0])).casefold()
    return first.startswith(EXAMPLE_MARKS)


class RowStream:
    """The data rows of the first sheet, read one at a time as they are iterated
    (python-calamine's ``iter_rows``): ``(row number, {field: raw value})``, blank rows and
    rows marked as an example (``is_example``) left out. Nothing of the sheet is kept in
    Python beyond the row at hand, so a 100,000-row roster costs one row's memory here.

    ``headers`` names each field's column as the file does; ``examples`` holds the row
    numbers skipped as examples (filled as the rows are read); ``len()`` counts the data
    rows by reading them once more without keeping them."""

    def __init__(self, sheet, positions: dict[str, int], header_row: int, headers: dict):
        self._sheet, self._positions, self._header_row = sheet, positions, header_row
        self.headers = headers
        self.examples: list[int] = []
        self._count = None
        self.expected = None  # the rows counted when the file was uploaded, if known

    def _rows(self, examples=None):
        positions = self._positions
        for number, row in enumerate(self._sheet.iter_rows(), start=1):
            if number <= self._header_row:
                continue
            values = {f: row[i] if i < len(row) else "" for f, i in positions.items()}
            if not any(cell_text(v) for v in values.values()):
                continue
            if is_example(row):
                if examples is not None:
                    examples.append(number)
                continue
            yield number, values

    def __iter__(self):
        self.examples = []
        count = 0
        for item in self._rows(self.examples):
            count += 1
            yield item
        self._count = count

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _row in self._rows())
        self.expected = self._count
        return self._count

    def as_list(self) -> Rows:
        rows = Rows(self)
        rows.headers, rows.examples = self.headers, self.examples
        return rows


def open_rows(upload, columns: list[Column], *, max_bytes=MAX_UPLOAD_BYTES) -> RowStream:
    """The data rows of the first sheet of an .xlsx upload, as a stream (``RowStream``).
    The file as a whole is checked here: size, type, a header row naming every required
    column."""
    if max_bytes and upload.size > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
        )
    if not upload.name.lower().endswith((".xlsx", ".xls", ".ods")):
        raise ImportFileError(_("Upload an Excel workbook (.xlsx)."))
    try:
        sheet = CalamineWorkbook.from_filelike(upload).get_sheet_by_index(0)
        header_row, headers = None, []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number > 10 + (sheet.start[0] if sheet.start else 0):
                break
            if any(cell_text(c) for c in row):
                header_row, headers = number, [cell_text(c) for c in row]
                break
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFileError(_("The file cannot be read as an Excel workbook.")) from exc
    if header_row is None:
        raise ImportFileError(_("The sheet is empty."))
    positions = {}
    for column in columns:
        for i, header in enumerate(headers):
            if header in {column.label, column.field, *column.aliases}:
                positions[column.field] = i
    missing = [c.label for c in columns if c.required and c.field not in positions]
    if missing:
        raise ImportFileError(_("Missing columns: %s") % "、".join(missing))
    names = {name: headers[i] for name, i in positions.items()}
    return RowStream(sheet, positions, header_row, names)


def check_row_limit(count: int, limit) -> None:
    if limit and count > limit:
        raise ImportFileError(_("At most %d rows can be imported at once.") % limit)


def read_rows(upload, columns: list[Column], *, limit=MAX_ROWS, max_bytes=MAX_UPLOAD_BYTES) -> Rows:
    """The data rows of the first sheet of an .xlsx upload, as a list (a small file; a
    large one is better read as a stream with ``open_rows``)."""
    stream = open_rows(upload, columns, max_bytes=max_bytes)
    check_row_limit(len(stream), limit)
    return stream.as_list()


def run_import(rows, handle_row, columns: list[Column], *, dry_run: bool) -> ImportReport:
    """Apply ``handle_row(values)`` to every row inside one transaction; keep it only if
    every row passed and this is not a dry run."""
    labels = {c.field: c.label for c in columns} | getattr(rows, "headers", {})
    report = ImportReport(total=len(rows), dry_run=dry_run)
    report.examples = list(getattr(rows, "examples", []))
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
    """The import template: a header row, then one example row marked as such in its first
    column (``EXAMPLE_MARKS``) and greyed, which the reader never imports, whatever else it
    holds; the notes on a second sheet."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from .exports import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = str(title)[:31]
    append_row(ws, [_("Note"), *(c.label for c in columns)])
    for cell, column in zip(ws[1][1:], columns, strict=True):
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
    ws["A1"].font = Font(bold=True, color="808080")
    # The mark is Chinese in every language: the reader knows it (EXAMPLE_MARKS).
    append_row(ws, ["示例 · " + _("example, not imported"), *(c.example for c in columns)])
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
        cell.fill = PatternFill("solid", fgColor="EDEDED")
    for index in range(len(columns) + 1):
        ws.column_dimensions[ws.cell(1, index + 1).column_letter].width = 18
    ws.column_dimensions["A"].width = 24
    help_sheet = wb.create_sheet(_("Instructions"))
    for line in [
        _(
            "The grey row marked 示例 in the first column is an example: it is never "
            "imported. Write over it or below it; leave the first column empty on your rows."
        ),
        *notes,
    ]:
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
