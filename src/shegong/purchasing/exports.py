"""The purchasing workbooks (evaluation sheet, project and budget ledgers, the board): a
header block under the title says what the sheet is of — project, agency, service period,
who exported it and when — before the table; logged like every export
(``audit.services.export_logged``)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shegong.audit.services import export_logged
from shegong.common.exports import append_row, export_filename, xlsx_response
from shegong.common.text import without_control_characters


def period(project) -> str:
    if not (project.start_on and project.end_on):
        return ""
    return f"{project.start_on:%Y-%m-%d} – {project.end_on:%Y-%m-%d}"


def project_header(project) -> list[tuple[str, object]]:
    """The lines that name a project on its exports."""
    lines = [
        (_("Project"), project.name),
        (_("Purchaser"), project.purchaser.name),
        (_("Agency"), project.agency.name if project.agency_id else ""),
        (_("Contract"), project.contract_number),
        (_("Service period"), period(project)),
    ]
    if project.terminated_on:
        lines.append((_("Ended early"), f"{project.terminated_on:%Y-%m-%d}"))
    return lines


def header_workbook(title, header, headers, rows) -> tuple[bytes, int]:
    """(workbook, rows written): the title, the ``header`` lines (label, value), the date
    and time of the export, an empty line, then the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = without_control_characters(str(title))[:31]
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    now = timezone.localtime()
    for label, value in [*header, (_("Exported at"), now.strftime("%Y-%m-%d %H:%M"))]:
        append_row(ws, [label, value])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    append_row(ws, [])
    append_row(ws, headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    count = 0
    for row in rows:
        append_row(ws, row)
        count += 1
    for index in range(1, max(len(headers), 2) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 18
    ws.freeze_panes = f"A{header_row + 1}"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count


def logged_sheet(*, user, object_type, title, header, headers, rows, filename=None, filters=None):
    """A purchasing workbook as a download, written to the access log with its filters and
    the number of rows; named in Chinese after its title and today unless ``filename``
    (``common.exports.export_filename``) says better."""
    content, count = header_workbook(title, header, headers, rows)
    export_logged(user=user, object_type=object_type, rows=count, filters=filters)
    if not filename or filename.isascii():
        filename = export_filename(title)
    return xlsx_response(content, filename)
