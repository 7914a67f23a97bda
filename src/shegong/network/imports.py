"""Importing the unit register from Excel, through ``unit_create`` row by row."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.common.imports import Column, cell_date, cell_text, choice_value
from shegong.divisions.models import Division

from . import services
from .models import KIND_LEVEL, Agency, Facility, OperatingMode

YES = {"是", "有", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "无", "no", "n", "false", "0", ""}
DATE_FIELDS = ("planned_on", "established_on", "operating_on")


def unit_columns() -> list[Column]:
    """Columns of the unit template, labelled in the active language."""
    return [
        Column("division", _("Division code"), required=True, example="500112002001"),
        Column("name", _("Name"), required=True, example="五星路社区社会工作室"),
        Column("operating_mode", _("Operating mode"), example=str(OperatingMode.SELF_RUN.label)),
        Column("agency", _("operating agency"), example=""),
        Column("planned_on", _("planned on"), example="2021-05-01"),
        Column("established_on", _("established on"), example="2021-09-01"),
        Column("operating_on", _("operating since"), example="2022-05-01"),
        Column("address", _("address"), example="双龙湖街道五星路社区党群服务中心"),
        Column("phone", _("phone"), example="023-67000000"),
        Column("opening_hours", _("opening hours"), example="周一至周五 9:00-17:00"),
        Column("floor_area", _("floor area (m²)"), example=40),
        Column("has_casework_room", _("casework consultation room"), example=_("yes")),
        Column("has_group_room", _("group activity room"), example=_("no")),
        Column(
            "shared_facilities",
            _("shares venue with"),
            example=f"{Facility.CHILDREN_HOME.label}、{Facility.ELDERLY_CARE_POINT.label}",
        ),
    ]


def unit_template_notes() -> list[str]:
    return [
        _("One unit per row; the first row holds the column names. Red columns are required."),
        _("The kind follows the code: 6 digits a guidance centre, 9 a station, 12 a room."),
        _("Operating mode: %(modes)s. A contracted unit names an agency already registered.")
        % {"modes": "、".join(str(label) for label in OperatingMode.labels)},
        _(
            "Dates as YYYY-MM-DD; each later step needs the earlier ones (planned → established "
            "→ operating)."
        ),
        _("Shares venue with: any of %(facilities)s, separated by 、")
        % {"facilities": "、".join(str(label) for label in Facility.labels)},
        _("If any row is wrong nothing is imported; the report names every row and column."),
    ]


def _flag(text: str) -> bool:
    lowered = text.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ValueError(_("Enter yes or no."))


def import_unit_row(values: dict, *, actor):
    """Turn one spreadsheet row into ``unit_create`` arguments and call it."""
    errors: dict[str, list[str]] = {}
    data: dict = {}

    def attempt(name, convert):
        try:
            result = convert()
        except ValueError as exc:
            errors[name] = [str(exc)]
        else:
            if result is not None:
                data[name] = result

    code = cell_text(values.get("division"))
    division = Division.objects.filter(code=code, is_active=True).first()
    if division is None:
        errors["division"] = [_("%s is not a division code.") % (code or "—")]
    else:
        data["division"] = division
        data["kind"] = next((k for k, lvl in KIND_LEVEL.items() if lvl == division.level), None)
        if data["kind"] is None:
            errors["division"] = [_("Units sit on district, town or village codes.")]
    data["name"] = cell_text(values.get("name"))
    if not data["name"]:
        errors["name"] = [_("This field is required.")]
    mode = cell_text(values.get("operating_mode"))
    attempt(
        "operating_mode",
        lambda: choice_value(mode, OperatingMode.choices) if mode else OperatingMode.SELF_RUN,
    )
    agency_name = cell_text(values.get("agency"))
    if agency_name:
        agency = Agency.objects.filter(name=agency_name).first()
        if agency is None:
            errors["agency"] = [_("No registered agency is called %s.") % agency_name]
        data["agency"] = agency
    for name in DATE_FIELDS:
        attempt(name, lambda name=name: cell_date(values.get(name)))
    for name in ("address", "phone", "opening_hours"):
        data[name] = cell_text(values.get(name))
    area = cell_text(values.get("floor_area"))
    if area:
        try:
            data["floor_area"] = Decimal(area)
        except InvalidOperation:
            errors["floor_area"] = [_("Enter a number.")]
    for name in ("has_casework_room", "has_group_room"):
        attempt(name, lambda name=name: _flag(cell_text(values.get(name))))
    facilities = [
        part.strip()
        for part in cell_text(values.get("shared_facilities")).replace(",", "、").split("、")
        if part.strip()
    ]
    attempt("shared_facilities", lambda: [choice_value(f, Facility.choices) for f in facilities])
    if errors:
        raise ValidationError(errors)
    return services.unit_create(actor=actor, **data)
