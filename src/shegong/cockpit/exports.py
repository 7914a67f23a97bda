"""Excel export of the coverage report (openpyxl)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from shegong.common.exports import append_row

from .coverage import MILESTONE_LABELS, MILESTONES, CoverageReport

BEHIND_FILL = PatternFill("solid", fgColor="F8D7DA")


def coverage_workbook(report: CoverageReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Coverage"))
    append_row(ws, [_("Coverage and compliance as of %s") % report.as_of.isoformat()])
    ws["A1"].font = Font(bold=True, size=13)
    headers = [
        _("Town code"),
        _("Town / street"),
        _("Station established"),
        _("Station operating"),
        _("Station has a social worker"),
        _("Villages / communities"),
        _("Rooms established"),
        _("Rooms operating"),
        _("Rooms with a certified worker"),
        _("Units operating"),
    ] + [str(label) for _key, _due, label in MILESTONES]
    append_row(ws, headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    yes, no = _("yes"), _("no")
    for row in [*report.towns, report.total]:
        values = [
            row.code,
            row.name,
            (yes if row.station_established else no) if row.code else row.station_established,
            (yes if row.station_operating else no) if row.code else row.station_operating,
            (yes if row.station_social_worker else no) if row.code else row.station_social_worker,
            row.villages,
            row.rooms_established,
            row.rooms_operating,
            row.rooms_certified,
            row.units_operating,
        ] + [str(MILESTONE_LABELS[row.milestones[k]]) for k in ("coverage", "operating")]
        append_row(ws, values)
        if any(row.milestones[k] == "behind" for k in ("coverage", "operating")):
            for cell in ws[ws.max_row]:
                cell.fill = BEHIND_FILL
    ws[f"A{ws.max_row}"].font = Font(bold=True)
    for index, _header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = 14 if index > 2 else 18
    ws.freeze_panes = "C3"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
