"""Importing the worker register from Excel: each row a worker, with an optional
certificate and an optional posting, through the same services as the pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.common.imports import Column, cell_date, cell_text, choice_value
from shegong.divisions.models import Division
from shegong.network.models import Agency, Unit

from . import services
from .models import CertificateTier, Employment, Gender, WorkerRole

POSTING_FIELDS = ("posting_unit", "posting_start")
CERTIFICATE_FIELDS = ("certificate_tier", "certificate_number", "certificate_year")


def worker_columns() -> list[Column]:
    return [
        Column("name", _("Full name"), required=True, example="张三"),
        Column("gender", _("Gender"), example=str(Gender.FEMALE.label)),
        Column("division", _("Division code"), required=True, example="500112002001"),
        Column(
            "roles",
            _("Roles"),
            required=True,
            example=f"{WorkerRole.GRID_WORKER.label}、{WorkerRole.MEDIATOR.label}",
        ),
        Column("employment", _("Employment"), example=str(Employment.FULL_TIME.label)),
        Column("employer_agency", _("employing agency"), example=""),
        Column("employer_name", _("Employer"), example="五星路社区居民委员会"),
        Column(
            "certificate_tier", _("Certificate tier"), example=str(CertificateTier.ASSISTANT.label)
        ),
        Column("certificate_number", _("certificate number"), example="CQ2021000001"),
        Column("certificate_year", _("year obtained"), example=2021),
        Column("posting_unit", _("Posted to (unit's division code)"), example="500112002001"),
        Column("posting_start", _("start date"), example="2021-09-01"),
    ]


def worker_template_notes() -> list[str]:
    return [
        _("One worker per row; the first row holds the column names. Red columns are required."),
        _("Roles: any of %(roles)s, separated by 、")
        % {"roles": "、".join(str(label) for label in WorkerRole.labels)},
        _("Give the employing agency (already registered) or the employer's name."),
        _(
            "A certificate needs its tier, number and year; a posting needs the unit's division "
            "code and the start date."
        ),
        _("If any row is wrong nothing is imported; the report names every row and column."),
    ]


def import_worker_row(values: dict, *, actor):
    errors: dict[str, list[str]] = {}
    text = {name: cell_text(value) for name, value in values.items()}
    data: dict = {"name": text.get("name", "")}
    if not data["name"]:
        errors["name"] = [_("This field is required.")]

    def choose(name, choices, default=""):
        raw = text.get(name, "")
        if not raw:
            return default
        try:
            return choice_value(raw, choices)
        except ValueError as exc:
            errors[name] = [str(exc)]
            return default

    data["gender"] = choose("gender", Gender.choices)
    data["employment"] = choose("employment", Employment.choices, Employment.FULL_TIME)
    roles = [r.strip() for r in text.get("roles", "").replace(",", "、").split("、") if r.strip()]
    try:
        data["roles"] = [choice_value(r, WorkerRole.choices) for r in roles]
    except ValueError as exc:
        errors["roles"] = [str(exc)]
    if not roles:
        errors["roles"] = [_("This field is required.")]
    code = text.get("division", "")
    data["division"] = Division.objects.filter(code=code, is_active=True).first()
    if data["division"] is None:
        errors["division"] = [_("%s is not a division code.") % (code or "—")]
    agency_name = text.get("employer_agency", "")
    data["employer_agency"] = (
        Agency.objects.filter(name=agency_name).first() if agency_name else None
    )
    if agency_name and data["employer_agency"] is None:
        errors["employer_agency"] = [_("No registered agency is called %s.") % agency_name]
    data["employer_name"] = text.get("employer_name", "")

    certificate = {name: text.get(name, "") for name in CERTIFICATE_FIELDS}
    if any(certificate.values()):
        for name in CERTIFICATE_FIELDS:
            if not certificate[name]:
                errors[name] = [_("A certificate needs its tier, number and year.")]
        certificate["certificate_tier"] = choose("certificate_tier", CertificateTier.choices)
        if certificate["certificate_year"] and not certificate["certificate_year"].isdigit():
            errors["certificate_year"] = [_("Enter a year such as 2021.")]
    posting_code = text.get("posting_unit", "")
    unit = start = None
    if posting_code or text.get("posting_start"):
        unit = Unit.objects.visible_to(actor).live().filter(division_id=posting_code).first()
        if unit is None:
            errors["posting_unit"] = [_("No unit of yours sits on %s.") % (posting_code or "—")]
        try:
            start = cell_date(values.get("posting_start"))
        except ValueError as exc:
            errors["posting_start"] = [str(exc)]
        if start is None and "posting_start" not in errors:
            errors["posting_start"] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)

    worker = services.worker_create(actor=actor, **data)
    if any(certificate.values()):
        services.certificate_add(
            worker=worker,
            tier=certificate["certificate_tier"],
            number=certificate["certificate_number"],
            year=int(certificate["certificate_year"]),
            actor=actor,
        )
    if unit is not None:
        try:
            services.assignment_add(worker=worker, unit=unit, start_on=start, actor=actor)
        except ValidationError as exc:
            raise ValidationError({"posting_unit": exc.messages}) from exc
    return worker
