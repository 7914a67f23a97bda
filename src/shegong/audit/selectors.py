"""The audit logs for the audit administrator, each limited to the divisions it audits
(``access.scoping`` AUDIT): the change log across every history table, the sensitive-data
accesses and the login records. Each answers a queryset, paged by the caller in SQL."""

import datetime
import functools
from collections import defaultdict

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from shegong.access.scoping import AUDIT, scope_prefixes, scope_q
from shegong.common.history import ACTIONS
from shegong.divisions.codes import Level

from .models import AccessLog, LoginEvent
from .registry import history_key, history_source, history_sources

CLIENT = "clients.client"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_period(field: str, start=None, end=None) -> Q:
    """``field`` on the district's days ``start`` to ``end``, both included."""
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": _day_start(start)})
    if end:
        q &= Q(**{f"{field}__lt": _day_start(end + datetime.timedelta(days=1))})
    return q


def changes_for(user, *, username="", kind="", start=None, end=None, action=""):
    """Every change in the history tables that ``user`` audits, newest first, as rows of
    ``audit_type``, ``history_id``, ``history_date``, ``history_type``, ``audit_record``
    (the record's id): one UNION
    ALL across the tables, so a page is one LIMIT/OFFSET query whatever its number. The
    rows of a page become readable with :func:`change_rows`."""
    prefixes = scope_prefixes(user, AUDIT)
    parts = []
    for model, _label, field in history_sources():
        key = history_key(model)
        if kind and key != kind:
            continue
        records = model.history.filter(
            scope_q(prefixes, field), _in_period("history_date", start, end)
        )
        if username:
            records = records.filter(history_user__username=username)
        if action:
            records = records.filter(history_type=action)
        parts.append(
            records.order_by()
            .annotate(
                audit_type=Value(key, output_field=CharField()),
                audit_record=F(model._meta.pk.attname),
            )
            .values("audit_type", "history_id", "history_date", "history_type", "audit_record")
        )
    if not parts:
        return []
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-history_date", "-history_id", "audit_type")


def change_rows(values) -> list[dict]:
    """The rows of one page of :func:`changes_for`, with who, what and the record itself:
    one query per record type on the page."""
    values = list(values)
    wanted = defaultdict(list)
    for value in values:
        wanted[value["audit_type"]].append(value["history_id"])
    found = {}
    for key, ids in wanted.items():
        model, label, _field = history_source(key)
        for record in model.history.filter(history_id__in=ids).select_related("history_user"):
            found[key, record.history_id] = (model, label, record)
    rows = []
    for value in values:
        model, label, record = found[value["audit_type"], value["history_id"]]
        rows.append(
            {
                "id": f"{value['audit_type']}:{value['history_id']}",
                "when": record.history_date,
                "who": record.history_user,
                "username": record.history_user.username if record.history_user else "",
                "type": value["audit_type"],
                "kind": model._meta.model_name,
                "what": label,
                "object_id": str(value["audit_record"]),
                "object": _object_text(model, record),
                "action_code": record.history_type,
                "action": ACTIONS.get(record.history_type, record.history_type),
            }
        )
    return rows


@functools.cache
def names_a_client(model, depth: int = 3) -> bool:
    """Whether ``model``'s records are a client's, or hang off one (a consent, a visit, a
    case goal): their text names the client or holds its details."""
    if model._meta.label_lower == CLIENT:
        return True
    if depth == 0:
        return False
    return any(
        field.many_to_one and names_a_client(field.related_model, depth - 1)
        for field in model._meta.concrete_fields
        if field.related_model is not None and field.related_model is not model
    )


def _object_text(model, record) -> str:
    """What the changed record is called, except for a client's records: the auditor
    reads who changed which record, not the client's name or details (三员分立)."""
    if names_a_client(model):
        return ""
    try:
        return str(record.instance)
    except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
        return ""


def _scope_tokens():
    return Concat(Value(" "), "scope", Value(" "), output_field=CharField())


def _access_scope_q(prefixes) -> Q:
    """Accesses an auditor of ``prefixes`` reads: a reveal in its divisions, and an export
    whose reader's scope reaches into them (a prefix inside, or one that contains them)."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(division_code__startswith=prefix) | Q(scope_tokens__contains=f" {prefix}")
        for level in Level.values:
            if level < len(prefix):
                q |= Q(scope_tokens__contains=f" {prefix[:level]} ")
    return q


def accesses_for(user, *, username="", object_type="", start=None, end=None, action=""):
    """Reveals, look-ups and exports of sensitive data in the divisions ``user`` audits."""
    records = AccessLog.objects.alias(scope_tokens=_scope_tokens()).filter(
        _access_scope_q(scope_prefixes(user, AUDIT)), _in_period("at", start, end)
    )
    if username:
        records = records.filter(user__username=username)
    if object_type:
        records = records.filter(object_type=object_type)
    if action:
        records = records.filter(action=action)
    return records.select_related("user").order_by("-at", "-id")


def logins_for(user, *, username="", start=None, end=None, kind=""):
    """Logins, logouts and failed attempts of the accounts in the divisions ``user`` audits."""
    records = LoginEvent.objects.filter(
        scope_q(scope_prefixes(user, AUDIT), "division_code"), _in_period("at", start, end)
    )
    if username:
        records = records.filter(username=username)
    if kind:
        records = records.filter(kind=kind)
    return records.order_by("-at", "-id")
