"""Excel out: one sheet with a title row, a header row and the rows (openpyxl)."""

from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_workbook(title: str, headers: list, rows) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = str(title)[:31]
    ws.append([str(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([str(h) for h in headers])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
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
    return response
