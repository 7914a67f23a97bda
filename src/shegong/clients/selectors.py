"""Reads of the client register, always through the user's scope."""

import re

from django.db.models import Q
from django.shortcuts import get_object_or_404

from shegong.common.crypto import lookup_hash
from shegong.common.filters import filter_given
from shegong.common.idcard import normalize
from shegong.divisions.codes import district_of

from .models import Client


def clients_for(user):
    return Client.objects.visible_to(user).filter(merged_into=None).select_related("division")


def village_options(user, town: str = ""):
    """Villages and communities inside the user's scope (of ``town`` if given): the client
    list's village filter."""
    from shegong.access.scoping import filter_by_scope
    from shegong.divisions.codes import code_prefix_q
    from shegong.divisions.models import Division, Level

    villages = filter_by_scope(Division.objects.at_level(Level.VILLAGE), user, "code")
    if town:
        villages = villages.filter(code_prefix_q("code", town))
    return villages.order_by("code")


def client_get(user, pk) -> Client:
    return get_object_or_404(
        clients_for(user).prefetch_related("memberships__group", "consents", "household"),
        pk=pk,
    )


def is_sensitive_query(q: str) -> bool:
    """A term holding a digit, however typed (``138 1234 5678``, full-width, with dashes):
    an ID or phone number, or part of one. Such terms stay out of URLs and logs; names and
    pinyin initials hold no digit."""
    return any(c.isdigit() for c in normalize(q or ""))


def phone_candidates(q: str) -> set[str]:
    """The ways a phone typed into the search may have been recorded: as typed, without
    spaces, digits only, without +86, a landline with the dash after its area code."""
    typed = normalize(q)
    digits = re.sub(r"[^0-9]", "", typed)
    found = {q.strip(), typed, digits}
    if re.fullmatch(r"86(1\d{10})", digits):
        found.add(digits[2:])
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        found |= {f"{digits[:3]}-{digits[3:]}", f"{digits[:4]}-{digits[4:]}"}
    return {c for c in found if c}


# Encrypted columns no list shows: left out of a list's SELECT, so a page decrypts only
# what it shows (the masked phone; the API's masked ID number).
LIST_DEFERRED = ("health_notes", "guardian_phone")


def client_search(user, *, q="", group="", risk="", village="", town="", overdue=False, today=None):
    """Name, pinyin initials (``zsf``), exact ID number or phone (by keyed hash); filtered
    by target group, risk tier, town, village and "visit overdue". Always inside the user's
    scope (a town or village outside it gives nothing). No filter can repeat a row (the
    group is an EXISTS), so there is no DISTINCT and the list's index serves scope, order
    and LIMIT."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from shegong.divisions.codes import code_prefix_q

    from .models import Membership

    qs = clients_for(user)
    q = (q or "").strip()
    if q:
        number = normalize(q)
        if re.fullmatch(r"\d{17}[\dX]", number):
            qs = qs.filter(id_number_hash=lookup_hash(number))
        elif re.fullmatch(r"[0-9\-()+]{7,24}", number):
            qs = qs.filter(phone_hash__in=[lookup_hash(c) for c in phone_candidates(q)])
        elif re.fullmatch(r"[A-Za-z]+", q):
            qs = qs.filter(name_initials__startswith=q.lower())
        else:
            qs = qs.filter(name__icontains=q)
    if group:
        current = Membership.objects.filter(
            client=OuterRef("pk"), group__code=group, end_on__isnull=True
        )
        qs = qs.filter(Exists(current))
    for code in (town, village):
        if code:
            qs = qs.filter(code_prefix_q("division__code", code))
    if overdue:
        qs = qs.filter(next_visit_due__lt=today or timezone.localdate())
    return filter_given(qs, risk_tier=risk)


def likely_duplicates(user, client: Client):
    """Others in the district with the same name and birth date: candidates for a merge."""
    if client.birth_date is None:
        return Client.objects.none()
    return (
        clients_for(user)
        .filter(name=client.name, birth_date=client.birth_date)
        .filter(Q(division__code__startswith=district_of(client.division_id)))
        .exclude(pk=client.pk)
    )


def villages_for(user):
    """The active villages and communities in the user's area (all of them for no user: a
    management command)."""
    from shegong.access.scoping import filter_by_scope
    from shegong.divisions.codes import Level
    from shegong.divisions.models import Division

    villages = Division.objects.at_level(Level.VILLAGE)
    return villages if user is None else filter_by_scope(villages, user, "code")


def client_choices(user, q: str = "", within: str = ""):
    """Clients for a searchable select: by name, pinyin initials (``zsf``) or village name,
    with their village. Never by ID or phone number: a term holding a digit finds nothing
    here (that search is the client list's, by POST)."""
    qs = clients_for(user)
    if is_sensitive_query(q):
        return qs.none()
    if within:
        qs = qs.filter(division__code__startswith=within)
    if q:
        found = Q(name__icontains=q) | Q(division__name__icontains=q)
        if re.fullmatch(r"[A-Za-z]+", q):
            found |= Q(name_initials__startswith=q.lower())
        qs = qs.filter(found)
    return qs.order_by("name", "pk")
