"""Importing the district's rosters (低保 / 特困 / 留守 lists) from Excel.

A roster row names a person, their village (by name or 12-digit code, within the importer's
area) and the target group the list is about (by name, code or one of the group's other
names, ``TargetGroup.aliases``). A person already registered (same ID number, by keyed
hash) gains the membership; a new person is registered. All rows or none.

The rows are read as a stream and checked and written in batches (BATCH rows: one look-up of
the batch's ID hashes, bulk inserts with history, due dates refreshed in bulk) inside one
transaction that is rolled back if any row was wrong, so memory stays at one batch's worth
and the queries grow with the batches, not the rows."""

import functools
import itertools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import ensure_in_scope, in_scope
from shegong.common.crypto import lookup_hash
from shegong.common.imports import (
    Column,
    ImportReport,
    Outcome,
    RowError,
    cell_date,
    cell_text,
)
from shegong.divisions.codes import Level
from shegong.divisions.models import Division

from . import services
from .models import Client, Membership, RiskTier, TargetGroup, VisitPolicy
from .schedule import due_by_policies, refresh_due_bulk

BATCH = 2000
# Candidates named in the refusal of an ambiguous village name.
MAX_CANDIDATES = 8


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
            _("Village (name or code)"),
            required=True,
            example="五星路社区",
            aliases=(
                "村（社区）区划代码",
                "区划代码",
                "村（社区）代码",
                "村（社区）",
                "村（社区）名称",
                "所在村（社区）",
                "村居",
                "社区",
                "村",
            ),
        ),
        Column(
            "group",
            _("Target group"),
            required=True,
            example="低保",
            aliases=("类别", "对象类别", "服务对象类别", "人员类别"),
        ),
        Column(
            "start_on",
            _("Since"),
            example="2020-03-01",
            aliases=("认定时间", "认定日期", "纳入时间"),
        ),
        Column("source", _("Source"), example="区民政局低保名册"),
        Column("phone", _("Phone"), example=""),
        Column("address", _("Address"), example=""),
    ]


def roster_template_notes() -> list[str]:
    return [
        _("One person per row; the first row holds the column names. Red columns are required."),
        _(
            "Village: the name of a village or community in your area (五星路社区), or its "
            "12-digit code; where two villages share a name, write the town before it "
            "(双龙湖街道五星路社区) or use the code."
        ),
        _("Target group: one of %(groups)s (or its code).")
        % {
            "groups": "; ".join(
                g.name + (f" ({'、'.join(g.alias_list)})" if g.alias_list else "")
                for g in TargetGroup.objects.all()
            )
        },
        _(
            "A person already registered (same ID number) gains the target group; nobody is "
            "registered twice."
        ),
        _("If any row is wrong nothing is imported; the report names every row and column."),
    ]


def roster_importer(actor):
    """For the background job: the columns and the batch run, acting as ``actor``."""
    return roster_columns(), functools.partial(import_roster, actor=actor)


def _key(text: str) -> str:
    """A name as compared: NFKC (full-width brackets and letters folded), no spaces or
    separators, case-folded."""
    return re.sub(r"[\s/·・\-－—_]+", "", unicodedata.normalize("NFKC", text or "")).casefold()


# The statistical register names a village by its committee (五星路社区居民委员会); rosters
# write the village (五星路社区).
COMMITTEE_SUFFIXES = ("居民委员会", "村民委员会", "居委会", "村委会")


def short_name(name: str) -> str:
    """五星路社区居民委员会 → 五星路社区."""
    for suffix in COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class GroupIndex:
    """Target groups by name, code or alias (``TargetGroup.aliases``), read once."""

    def __init__(self):
        self.by_key: dict[str, set] = {}
        for group in TargetGroup.objects.all():
            for name in {group.name, group.code, *group.alias_list}:
                self.by_key.setdefault(_key(name), set()).add(group)

    def find(self, text: str) -> TargetGroup:
        found = self.by_key.get(_key(text), set())
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise ValidationError(
                {
                    "group": _("%(text)s may mean %(groups)s: write the group's full name.")
                    % {"text": text, "groups": "、".join(sorted(g.name for g in found))}
                }
            )
        raise ValidationError({"group": _("Unknown target group: %s") % (text or "—")})


class VillageIndex:
    """The villages and communities of the importer's area, by 12-digit code, by name and
    by town and name (双龙湖街道五星路社区), read once; a name outside the area is told
    apart from one that names nothing."""

    def __init__(self, actor):
        from .selectors import villages_for

        self.actor = actor
        self.by_code: dict[str, Division] = {}
        self.by_name: dict[str, list[Division]] = {}
        for village in villages_for(actor).select_related("parent"):
            self.by_code[village.code] = village
            town = village.parent.name if village.parent_id else ""
            for name in {village.name, short_name(village.name)}:
                self.by_name.setdefault(_key(name), []).append(village)
                self.by_name.setdefault(_key(town + name), []).append(village)
        self._elsewhere: dict[str, ValidationError] = {}

    def find(self, text: str) -> Division:
        text = (text or "").strip()
        if re.fullmatch(r"\d{12}", text):
            village = self.by_code.get(text)
            if village is None:
                division = Division.objects.filter(code=text).first()
                services.check_village(division, text)
                ensure_in_scope(self.actor, text)
                services.check_village(None)  # (not reached: an active village in scope)
            return village
        if not text:
            services.check_village(None)
        found = self.by_name.get(_key(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            shown = "、".join(
                f"{v.parent.name if v.parent_id else ''}{short_name(v.name)}（{v.code}）"
                for v in found[:MAX_CANDIDATES]
            )
            raise ValidationError(
                {
                    "division": _(
                        "More than one village is called %(name)s: %(candidates)s. "
                        "Write the town before the name, or the code."
                    )
                    % {"name": text, "candidates": shown}
                }
            )
        raise self._not_in_area(text)

    def _not_in_area(self, text: str) -> ValidationError:
        if text not in self._elsewhere:
            elsewhere = Division.objects.filter(
                level=Level.VILLAGE,
                is_active=True,
                name__in=[text, *(text + suffix for suffix in COMMITTEE_SUFFIXES)],
            ).exists()
            message = (
                _("%s is outside your area.")
                if elsewhere
                else _("No village or community in your area is called %s.")
            )
            self._elsewhere[text] = ValidationError({"division": message % text})
        return self._elsewhere[text]


def import_roster(rows, *, actor, dry_run: bool, progress=None, batch_size=BATCH) -> ImportReport:
    """Check a roster, and write it in batches as it is read: all rows or none.

    ``rows`` is any iterable of ``(row number, {field: raw value})`` — a list, or the
    stream ``common.imports.open_rows`` reads — and is consumed once, a batch at a time.
    The same rules as registering one person (``services.client_create``) apply, with a
    handful of queries per batch instead of a dozen per row. Once a row is wrong nothing
    more is written and everything written is rolled back; the rest are still checked,
    so the report names every bad row. ``progress(done, total)`` follows the batches."""
    total = len(rows) if isinstance(rows, list) else getattr(rows, "expected", None)
    report = ImportReport(dry_run=dry_run)
    labels = {c.field: c.label for c in roster_columns()} | getattr(rows, "headers", {})

    def fail(number, field, message):
        report.errors.append(RowError(number, labels.get(field, field), str(message)))

    state = _Batches(actor, report, fail)
    probes = []  # ID numbers found registered elsewhere: logged after the rollback
    with transaction.atomic():
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, batch_size)):
            report.total += len(batch)
            new_rows, known_rows = state.check(batch, probes)
            if not report.errors and not dry_run:
                state.write(new_rows, known_rows)
            if progress:
                progress(report.total, max(total or 0, report.total))
        if report.errors or dry_run:
            transaction.set_rollback(True)
    for client in probes:
        # The row is refused without naming the record, and the look-up logged (a dry
        # run included: it answers the same question).
        services.log_probe(
            actor=actor, existing=client, via=_("roster import: ID number registered elsewhere")
        )
    report.examples = list(getattr(rows, "examples", []))
    report.errors.sort(key=lambda e: e.row)
    report.outcomes = [
        Outcome("new", _("new people registered"), state.counts["new"]),
        Outcome(
            "joined", _("people already registered who gained the group"), state.counts["joined"]
        ),
        Outcome("unchanged", _("people already in the group"), state.counts["unchanged"]),
    ]
    report.created = 0 if report.errors else report.total
    return report


class _Batches:
    """What ``import_roster`` keeps from one batch to the next: the groups, villages and
    policies read once, the ID hashes seen so far (a person twice in the file), counts."""

    def __init__(self, actor, report, fail):
        self.actor, self.report, self.fail = actor, report, fail
        self._dues = {}
        self.groups = GroupIndex()
        self.villages = VillageIndex(actor)
        self.seen: set[str] = set()
        self.counts = {"new": 0, "joined": 0, "unchanged": 0}
        self.policies = list(VisitPolicy.objects.all())
        self.today = timezone.localdate()

    def check(self, batch, probes):
        """The batch's rows checked: ``(new rows, known rows)``, errors reported."""
        fail = self.fail
        checked = []  # (row number, text, group, start_on, parsed ID, hash)
        for number, values in batch:
            text = {name: cell_text(value) for name, value in values.items()}
            before = self._errors()
            group = _check(number, fail, self.groups.find, text.get("group", ""))
            try:
                start_on = cell_date(values.get("start_on"))
            except ValueError as exc:
                fail(number, "start_on", exc)
                start_on = None
            # The same checks as registering one person, without its queries.
            text["name"] = _check(number, fail, services.clean_name, text.get("name"))
            _check(number, fail, _check_columns, text)
            parsed = _check(number, fail, services.clean_id_number, text.get("id_number"))
            digest = lookup_hash(parsed.number) if parsed else ""
            if parsed and digest in self.seen:
                fail(number, "id_number", _("This ID number is already on an earlier row."))
            if parsed:
                self.seen.add(digest)
            if self._errors() == before:
                checked.append((number, text, group, start_on, parsed, digest))
        existing = {
            c.id_number_hash: c
            for c in Client.objects.filter(id_number_hash__in=[row[5] for row in checked]).only(
                "pk",
                "name",
                "division_id",
                "id_number_hash",
                "risk_tier",
                "created_at",
                "last_visited_on",
            )
        }
        new_rows, known_rows = [], []
        for row in checked:
            number, text = row[0], row[1]
            client = existing.get(row[5])
            if client is not None:
                if self.actor is not None and not in_scope(self.actor, client.division_id):
                    _report(number, fail, services.duplicate_error(client, self.actor))
                    probes.append(client)
                else:
                    known_rows.append((client, row))
                continue
            village = _check(number, fail, self.villages.find, text.get("division", ""))
            if village is not None:
                new_rows.append((village, row))
        active = set(
            Membership.objects.filter(
                client__in=[c for c, _row in known_rows], end_on__isnull=True
            ).values_list("client_id", "group_id")
        )
        gaining = []
        for client, row in known_rows:
            key = (client.pk, row[2].pk)
            if key in active:
                self.counts["unchanged"] += 1
            else:
                active.add(key)
                gaining.append((client, row))
        self.counts["joined"] += len(gaining)
        self.counts["new"] += len(new_rows)
        return new_rows, gaining

    def _errors(self) -> int:
        return len(self.report.errors)

    def write(self, new_rows, known_rows) -> None:
        """One batch into the database: new people and their memberships with history, the
        known people's new memberships, and their due dates in bulk."""
        from simple_history.utils import bulk_create_with_history

        clients, memberships = [], []
        for village, (_number, text, group, start_on, parsed, digest) in new_rows:
            name = text["name"]
            phone = text.get("phone", "")
            clients.append(
                Client(
                    name=name,
                    name_initials=services.name_initials(name),
                    division_id=village.code,
                    address=text.get("address", ""),
                    id_number=parsed.number,
                    id_number_hash=digest,
                    birth_date=parsed.birth_date,
                    sex=parsed.sex,
                    phone=phone,
                    phone_hash=lookup_hash(phone) if phone else "",
                    next_visit_due=self._due(group),
                )
            )
            memberships.append(
                Membership(group=group, start_on=start_on, source=text.get("source", ""))
            )
        if clients:
            made = bulk_create_with_history(
                clients, Client, batch_size=len(clients), default_user=self.actor
            )
            for client, membership in zip(made, memberships, strict=True):
                membership.client = client
        memberships += [
            Membership(client=client, group=group, start_on=start_on, source=text.get("source", ""))
            for client, (_number, text, group, start_on, _parsed, _digest) in known_rows
        ]
        if memberships:
            bulk_create_with_history(
                memberships, Membership, batch_size=len(memberships), default_user=self.actor
            )
        refresh_due_bulk([client for client, _row in known_rows], self.today)

    def _due(self, group):
        """A new person's first due date (general tier, counted from today), per group."""
        if group.pk not in self._dues:
            self._dues[group.pk] = due_by_policies(
                self.policies, RiskTier.GENERAL, {group.pk}, self.today
            )
        return self._dues[group.pk]


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
