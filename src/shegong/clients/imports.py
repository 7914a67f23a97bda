"""Importing the district's rosters (低保 / 特困 / 留守 lists) from Excel.

A roster row names a person and the target group the list is about. A person already
registered (same ID number, by keyed hash) gains the membership; a new person is
registered. Every row goes through the client services, all rows or none."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shegong.access.scoping import in_scope
from shegong.common.crypto import lookup_hash
from shegong.common.idcard import normalize
from shegong.common.imports import Column, cell_date, cell_text
from shegong.divisions.models import Division

from . import services
from .models import Client, Membership, TargetGroup


def roster_columns() -> list[Column]:
    return [
        Column("name", _("Full name"), required=True, example="张三", aliases=("姓名", "名字")),
        Column(
            "id_number",
            _("Resident ID number"),
            required=True,
            example="500112194001010022",
            aliases=("身份证号", "身份证号码", "公民身份号码", "证件号码"),
        ),
        Column(
            "division",
            _("Village code"),
            required=True,
            example="500112002001",
            aliases=("区划代码", "村（社区）代码"),
        ),
        Column(
            "group",
            _("Target group"),
            required=True,
            example="最低生活保障对象",
            aliases=("类别", "对象类别"),
        ),
        Column("start_on", _("Since"), example="2020-03-01", aliases=("认定时间", "纳入时间")),
        Column("source", _("Source"), example="区民政局低保名册"),
        Column("phone", _("Phone"), example=""),
        Column("address", _("Address"), example=""),
    ]


def roster_template_notes() -> list[str]:
    return [
        _("One person per row; the first row holds the column names. Red columns are required."),
        _("Target group: the name or code of one of %(groups)s.")
        % {"groups": "、".join(g.name for g in TargetGroup.objects.all())},
        _(
            "A person already registered (same ID number) gains the target group; nobody is "
            "registered twice."
        ),
        _("If any row is wrong nothing is imported; the report names every row and column."),
    ]


def import_roster_row(values: dict, *, actor, seen: set):
    text = {name: cell_text(value) for name, value in values.items()}
    errors: dict[str, list[str]] = {}
    group_text = text.get("group", "")
    group = (
        TargetGroup.objects.filter(name=group_text).first()
        or TargetGroup.objects.filter(code=group_text).first()
    )
    if group is None:
        errors["group"] = [_("Unknown target group: %s") % (group_text or "—")]
    try:
        start_on = cell_date(values.get("start_on"))
    except ValueError as exc:
        errors["start_on"] = [str(exc)]
        start_on = None
    number = normalize(text.get("id_number", ""))
    if number in seen:
        errors["id_number"] = [_("This ID number is already on an earlier row.")]
    seen.add(number)
    if errors:
        raise ValidationError(errors)

    existing = Client.objects.filter(id_number_hash=lookup_hash(number)).first() if number else None
    if existing is not None:
        if actor is not None and not in_scope(actor, existing.division_id):
            raise ValidationError({"id_number": [_("This person is registered in another area.")]})
        client = existing
    else:
        code = text.get("division", "")
        division = Division.objects.filter(code=code, is_active=True).first()
        if division is None:
            raise ValidationError({"division": [_("%s is not a division code.") % (code or "—")]})
        client = services.client_create(
            actor=actor,
            name=text.get("name", ""),
            division=division,
            id_number=number,
            phone=text.get("phone", ""),
            address=text.get("address", ""),
        )
    active = client.memberships.filter(group=group, end_on__isnull=True).first()
    if active is None:
        Membership.objects.create(
            client=client, group=group, start_on=start_on, source=text.get("source", "")
        )
    return client
