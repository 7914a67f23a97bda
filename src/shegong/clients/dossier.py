"""The person's file (一人一档): everything the platform holds on one client, newest first.

``clients`` sits below visits, records, cases, referrals and activities, so it cannot
import them. Each of those apps registers, in its ``AppConfig.ready``, a *section* (how to
find this client's rows of its own, through its own scoped selector, and how one row reads
on the timeline) and any *actions* it offers on the client's page — the same registry
pattern as ``audit.registry.register_history`` and ``common.imports.register_importer``.
The client page, the section pages and the dossier PDF all read the registry; none of
them knows which apps filled it.

Each section is capped (``CAP`` rows, one query with its joins, one more row fetched to
know whether there are more) and links to its full, paged list; no per-row query."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

CAP = 10


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what, a detail and the record it links to."""

    on: datetime.date | None
    title: str
    detail: str = ""
    url: str = ""
    badge: str = ""
    badge_class: str = "bg-secondary"


@dataclass(frozen=True)
class SectionType:
    key: str
    label: str
    order: int
    rows: Callable  # (user, client) -> QuerySet, newest first, scoped to the user
    entry: Callable  # (row) -> Entry


@dataclass
class Section:
    key: str
    label: str
    entries: list
    has_more: bool


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    key: str = ""
    primary: bool = False


_sections: dict[str, SectionType] = {}
_actions: list[tuple[int, Callable]] = []


def register_section(key: str, *, label, order: int, rows: Callable, entry: Callable) -> None:
    """Called from an ``AppConfig.ready``: ``rows(user, client)`` is the client's rows the
    user may see, newest first; ``entry(row)`` how one reads (:class:`Entry`)."""
    _sections[key] = SectionType(key, label, order, rows, entry)


def register_actions(provider: Callable, *, order: int = 50) -> None:
    """``provider(user, client)`` yields the :class:`Action` s allowed now (or nothing)."""
    _actions.append((order, provider))


def section_types() -> list[SectionType]:
    return sorted(_sections.values(), key=lambda s: s.order)


def section_type(key: str) -> SectionType | None:
    return _sections.get(key)


def sections(user, client, cap: int = CAP) -> list[Section]:
    """Every registered section of ``client`` as ``user`` may see it, ``cap`` rows each."""
    found = []
    for kind in section_types():
        rows = list(kind.rows(user, client)[: cap + 1])
        found.append(
            Section(
                key=kind.key,
                label=str(kind.label),
                entries=[kind.entry(row) for row in rows[:cap]],
                has_more=len(rows) > cap,
            )
        )
    return found


def timeline(found: Iterable[Section]) -> list[tuple[Section, Entry]]:
    """The sections' entries merged, newest first (undated ones last)."""
    merged = [(section, entry) for section in found for entry in section.entries]
    return sorted(merged, key=lambda pair: pair[1].on or datetime.date.min, reverse=True)


def actions(user, client) -> list[Action]:
    found = []
    for _order, provider in sorted(_actions, key=lambda pair: pair[0]):
        found.extend(provider(user, client) or ())
    return found


def local_day(value) -> datetime.date | None:
    """A date for the timeline from a date or an aware datetime (the district's day)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def url_or_blank(name: str, *args) -> str:
    """The URL of a named page, or "" while no such page exists (e.g. a record type that
    has no page of its own yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def register_own() -> None:
    """The client app's own sections: target groups, alerts and consents."""
    from django.utils.translation import gettext_lazy as _

    from shegong.access.scoping import can_edit_clients

    from .models import Consent, Membership, RiskAlert

    def membership_entry(m):
        detail = m.source
        if m.end_on:
            detail = " · ".join(filter(None, [detail, str(_("ended")), f"{m.end_on:%Y-%m-%d}"]))
        return Entry(on=m.start_on, title=m.group.name, detail=detail)

    def alert_entry(a):
        return Entry(
            on=local_day(a.raised_at),
            title=a.reason,
            detail=a.action_taken,
            url="" if a.resolved_at else reverse("clients:alert-list"),
            badge=str(_("resolved") if a.resolved_at else _("open")),
            badge_class="bg-secondary" if a.resolved_at else "bg-danger",
        )

    def consent_entry(c):
        return Entry(
            on=c.given_on, title=c.purpose, detail=f"{c.given_by}（{c.get_relation_display()}）"
        )

    register_section(
        "groups",
        label=_("Target groups"),
        order=10,
        rows=lambda user, client: (
            Membership.objects.filter(client=client)
            .select_related("group")
            .order_by("-start_on", "-id")
        ),
        entry=membership_entry,
    )
    register_section(
        "alerts",
        label=_("Risk alerts"),
        order=70,
        rows=lambda user, client: (
            RiskAlert.objects.visible_to(user).filter(client=client).order_by("-raised_at", "-id")
        ),
        entry=alert_entry,
    )
    register_section(
        "consents",
        label=_("Consents"),
        order=80,
        rows=lambda user, client: Consent.objects.filter(client=client).order_by(
            "-given_on", "-id"
        ),
        entry=consent_entry,
    )

    def edit_action(user, client):
        if can_edit_clients(user):
            yield Action(_("Edit"), reverse("clients:client-edit", args=[client.pk]), key="edit")

    register_actions(edit_action, order=90)
