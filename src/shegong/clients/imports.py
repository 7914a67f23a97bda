"""Importing the district's rosters (低保 / 特困 / 留守 lists) from Excel.

A roster row names a person and the target group the list is about. A person already
registered (same ID number, by keyed hash) gains the membership; a new person is
registered. Every row goes through the client services, all rows or none."""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import ensure_in_scope, in_scope
from shegong.common.crypto import lookup_hash
from shegong.common.imports import Column, ImportReport, RowError, cell_date, cell_text
from shegong.divisions.models import Division

from . import services
from .models import Client, Membership, RiskTier, TargetGroup, VisitPolicy
from .schedule import due_by_policies, refresh_due


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


def roster_importer(actor):
    """For the background job: the columns and the batch run, acting as ``actor``."""
    return roster_columns(), functools.partial(import_roster, actor=actor)


def import_roster(rows, *, actor, dry_run: bool, progress=None) -> ImportReport:
    """Check a whole roster, then write it in bulk: all rows or none.

    The same rules as registering one person (``services.client_create``), applied to the
    batch with a handful of queries instead of a dozen per row, so that a district's
    100,000-row list goes in within minutes. ``progress(done, total)`` is called as rows
    are checked and written."""
    total = len(rows)
    report = ImportReport(total=total, dry_run=dry_run)
    labels = {c.field: c.label for c in roster_columns()} | getattr(rows, "headers", {})

    def fail(number, field, message):
        report.errors.append(RowError(number, labels.get(field, field), str(message)))

    groups = {g.name: g for g in TargetGroup.objects.all()}
    groups |= {g.code: g for g in groups.values()}
    seen: set[str] = set()
    checked = []  # (row number, text, group, start_on, parsed ID, hash)
    for done, (number, values) in enumerate(rows, start=1):
        if progress and done % 1000 == 0:
            progress(done // 2, total)
        text = {name: cell_text(value) for name, value in values.items()}
        row_errors = len(report.errors)
        group = groups.get(text.get("group", ""))
        if group is None:
            fail(number, "group", _("Unknown target group: %s") % (text.get("group") or "—"))
        try:
            start_on = cell_date(values.get("start_on"))
        except ValueError as exc:
            fail(number, "start_on", exc)
            start_on = None
        # The same checks as registering one person, without its queries.
        text["name"] = _check(number, fail, services.clean_name, text.get("name"))
        _check(number, fail, _check_columns, text)
        parsed = _check(number, fail, services.clean_id_number, text.get("id_number"))
        if parsed and parsed.number in seen:
            fail(number, "id_number", _("This ID number is already on an earlier row."))
        if parsed:
            seen.add(parsed.number)
        if len(report.errors) == row_errors:
            checked.append((number, text, group, start_on, parsed, lookup_hash(parsed.number)))

    existing = {}
    hashes = [row[5] for row in checked]
    for i in range(0, len(hashes), 5000):
        for client in Client.objects.filter(id_number_hash__in=hashes[i : i + 5000]).only(
            "pk",
            "name",
            "division_id",
            "id_number_hash",
            "risk_tier",
            "created_at",
            "last_visited_on",
        ):
            existing[client.id_number_hash] = client
    codes = {row[1].get("division", "") for row in checked}
    divisions = {d.code: d for d in Division.objects.filter(code__in=codes)}
    new_rows, known_rows = [], []
    for row in checked:
        number, text = row[0], row[1]
        client = existing.get(row[5])
        if client is not None:
            if actor is not None and not in_scope(actor, client.division_id):
                # The row is refused without naming the record, and the look-up logged
                # (a dry run included: it answers the same question).
                _report(number, fail, services.duplicate_error(client, actor))
                services.log_probe(
                    actor=actor,
                    existing=client,
                    via=_("roster import: ID number registered elsewhere"),
                )
            else:
                known_rows.append((client, row))
            continue
        code = text.get("division", "")
        before = len(report.errors)
        _check(number, fail, _check_place, divisions.get(code), code, actor)
        if len(report.errors) == before:
            new_rows.append(row)
    report.errors.sort(key=lambda e: e.row)
    if report.errors:
        return report
    report.created = total
    if dry_run:
        return report
    _write_roster(actor, new_rows, known_rows, progress, total)
    return report


def _report(number, fail, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            fail(number, field, message)


def _check(number, fail, check, *args):
    """Run one of the client services' checks on a row: its value, or None after reporting
    its field errors on the row."""
    try:
        return check(*args)
    except ValidationError as exc:
        _report(number, fail, exc)
        return None


def _check_columns(text: dict) -> None:
    """The typed columns' own rules, as ``full_clean`` applies them on a page: their
    lengths, no control characters, a phone that is a phone. (The bulk write skips
    ``full_clean``, so the row is checked here.)"""
    errors = {}
    typed = {"address": text.get("address", ""), "phone": text.get("phone", "")}
    if text.get("name") is not None:  # else clean_name has already named the problem
        typed["name"] = text["name"]
    for instance in (Client(**typed), Membership(source=text.get("source", ""))):
        names = set(typed) | {"source"}
        try:
            instance.clean_fields(
                exclude=[f.name for f in instance._meta.fields if f.name not in names]
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def _check_place(division, code: str, actor) -> None:
    """Where a new person is registered: the rules of ``services.client_create``."""
    services.check_village(division, code)
    ensure_in_scope(actor, code)


def _write_roster(actor, new_rows, known_rows, progress, total) -> None:
    from simple_history.utils import bulk_create_with_history

    policies = list(VisitPolicy.objects.all())
    today = timezone.localdate()
    with transaction.atomic():
        clients, memberships = [], []
        for _number, text, group, start_on, parsed, digest in new_rows:
            name = text["name"]
            phone = text.get("phone", "")
            clients.append(
                Client(
                    name=name,
                    name_initials=services.name_initials(name),
                    division_id=text["division"],
                    address=text.get("address", ""),
                    id_number=parsed.number,
                    id_number_hash=digest,
                    birth_date=parsed.birth_date,
                    sex=parsed.sex,
                    phone=phone,
                    phone_hash=lookup_hash(phone) if phone else "",
                    next_visit_due=due_by_policies(policies, RiskTier.GENERAL, {group.pk}, today),
                )
            )
            memberships.append((group, start_on, text.get("source", "")))
        step = 2000
        for i in range(0, len(clients), step):
            batch = bulk_create_with_history(
                clients[i : i + step], Client, batch_size=step, default_user=actor
            )
            bulk_create_with_history(
                [
                    Membership(client=client, group=group, start_on=start_on, source=source)
                    for client, (group, start_on, source) in zip(
                        batch, memberships[i : i + step], strict=True
                    )
                ],
                Membership,
                batch_size=step,
                default_user=actor,
            )
            if progress:
                progress((total + i + len(batch)) // 2, total)
        active = set(
            Membership.objects.filter(
                client__in=[c for c, _row in known_rows], end_on__isnull=True
            ).values_list("client_id", "group_id")
        )
        for client, (_number, text, group, start_on, _parsed, _digest) in known_rows:
            if (client.pk, group.pk) not in active:
                Membership.objects.create(
                    client=client, group=group, start_on=start_on, source=text.get("source", "")
                )
                active.add((client.pk, group.pk))
                refresh_due(client)
