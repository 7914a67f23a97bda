"""Excel out: one sheet with a title row, a header row and the rows (openpyxl).

Every workbook the platform writes goes through :func:`append_row`, which keeps numbers and
dates as real cells and makes every string inert: a value that a spreadsheet would take for
a formula (``=``, ``+``, ``-``, ``@``, or a tab, line break or space before one; OWASP's
CSV-injection prefixes) is written as a text cell with Excel's quote prefix, which shows
and reads back the value unchanged and is never evaluated, even when the cell is edited; a
control character is shown as U+FFFD instead of breaking the file."""

import datetime
import decimal
from io import BytesIO

from django.http import HttpResponse
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


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    # ASCII file names: old Excel and WeChat's browser mangle RFC 5987 names.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Exports carry personal data: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response
