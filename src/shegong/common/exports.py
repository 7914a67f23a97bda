"""Excel out: one sheet with a title row, a header row and the rows (openpyxl).

Every workbook the platform writes goes through :func:`append_row`, which keeps numbers and
dates as real cells and makes every string inert: a value that a spreadsheet would take for
a formula (``=``, ``+``, ``-``, ``@``, or a tab, line break or space before one; OWASP's
CSV-injection prefixes) is written as a text cell with Excel's quote prefix, which shows
and reads back the value unchanged and is never evaluated, even when the cell is edited; a
control character is shown as U+FFFD instead of breaking the file."""

import datetime
import decimal
import re
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .text import without_control_characters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", " ")
CELL_TYPES = (int, float, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)


def cell_value(value):
    """A value as a cell holds it: numbers, dates and booleans as they are, anything else
    as text without control characters."""
    if value is None or isinstance(value, (bool, *CELL_TYPES)):
        return value
    return without_control_characters(str(value))


def append_row(ws, values) -> None:
    """Append ``values`` to ``ws`` as one row of inert cells (see the module's note)."""
    ws.append([cell_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True


def table_workbook(title: str, headers: list, rows) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = without_control_characters(str(title))[:31]
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, row)
    for index in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 16
    ws.freeze_panes = "A3"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Characters no file system or browser keeps in a file name, and runs of separators.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f;,]+')
_SPACES = re.compile(r"[\s_]+")


def export_filename(what, *qualifiers, ext: str = "xlsx", day=None) -> str:
    """A download's name that says what it holds and when: ``服务台账_五星路社区_2026-12-01.xlsx``.

    ``what`` is the export's title (translated), ``qualifiers`` narrow it (a village, a
    project; empty ones left out), ``day`` is today's local date unless given. Characters a
    file system refuses are dropped, so any title or name is safe."""
    day = day or timezone.localdate()
    parts = [str(what), *(str(q) for q in qualifiers if q not in (None, "")), day.isoformat()]
    cleaned = [_SPACES.sub(" ", _UNSAFE.sub(" ", p)).strip().replace(" ", "-") for p in parts]
    stem = "_".join(p for p in cleaned if p)[:150]
    return f"{stem}.{ext}"


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Send ``response`` as a download named ``filename``: RFC 6266/5987, the UTF-8 name in
    ``filename*`` (Django's ``content_disposition_header``) after an ASCII ``filename`` for
    clients that know only that one."""
    header = content_disposition_header(True, filename)
    if "filename*=" in header:
        fallback = re.sub(r"[^A-Za-z0-9._-]+", "", filename).strip("._-")
        if not re.search(r"[A-Za-z]", fallback.rsplit(".", 1)[0]):
            fallback = f"export_{fallback}" if fallback else "export"
        header = header.replace("attachment; ", f'attachment; filename="{fallback}"; ', 1)
    response["Content-Disposition"] = header
    # Exports carry personal data: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return attachment(HttpResponse(content, content_type=XLSX), filename)
