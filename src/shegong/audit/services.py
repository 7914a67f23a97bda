"""Writes to the audit trail: exports, login records, and pruning past the retention."""

import datetime
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.access.scoping import DATA, grants_of, scope_prefixes
from shegong.common.text import LINE_CONTROL_CHARACTERS
from shegong.divisions.codes import Level

from .models import CHAINED_MODELS, AccessLog, ChainHead, LoginEvent, retention_days


def reader_scope(user) -> tuple[str, ...]:
    """Every division prefix ``user`` reads service data in; for a reader whose scope is
    not a set of divisions (a purchasing department, an evaluator), the divisions its
    grants and its account sit in."""
    prefixes = scope_prefixes(user, DATA)
    if prefixes:
        return tuple(sorted(prefixes))
    found = set()
    for grant in grants_of(user):
        if grant.unit_id:
            found.add(grant.unit.division_id)
        if grant.purchaser_id:
            found.add(grant.purchaser.division_id)
    if getattr(user, "division_id", None):
        found.add(user.division_id)
    return tuple(sorted(found))


def _common_division(prefixes) -> str:
    """The narrowest division (a whole code level) that holds every prefix."""
    if not prefixes:
        return ""
    common = os.path.commonprefix(list(prefixes))
    levels = [level for level in Level.values if level <= len(common)]
    return common[: max(levels)] if levels else ""


def _clean(value, length: int) -> str:
    return LINE_CONTROL_CHARACTERS.sub("\ufffd", str(value))[:length]


def export_logged(
    *,
    user,
    object_type: str,
    rows: int,
    filters: dict | None = None,
    scope=None,
    fields="",
    object_id="",
) -> AccessLog:
    """Log an export of personal data: who, what, the reader's whole scope (``scope``, by
    default every division prefix it reads), the filters it applied (empty ones left out)
    and how many rows it carried (``object_id``: the one record of a file download).
    Called by every export path before it answers."""
    prefixes = tuple(scope) if scope is not None else reader_scope(user)
    kept = {
        _clean(k, 50): _clean(v, 200)
        for k, v in (filters or {}).items()
        if v not in (None, "", [], ())
    }
    return AccessLog.objects.create(
        user=user,
        action=AccessLog.Action.EXPORT,
        object_type=_clean(object_type, 50),
        object_id=_clean(object_id, 50),
        fields=_clean(fields or _("list export"), 200),
        reason=_clean(_("list export"), 200),
        division_code=_common_division(prefixes),
        scope=" ".join(prefixes),
        filters=kept,
        rows=rows,
    )


def _client_ip(request) -> str:
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or "")[
        :45
    ]


def login_recorded(*, kind: str, username: str, request=None) -> LoginEvent:
    """A login, logout or failed attempt on the login chain. The account's home division
    decides which auditors read it; a username nobody has gets none."""
    from shegong.access.models import User

    username = _clean(username, 150)
    division = (
        User.objects.filter(username=username).values_list("division_id", flat=True).first()
        if username
        else None
    )
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return LoginEvent.objects.create(
        kind=kind,
        username=username,
        division_code=division or "",
        ip_address=_clean(_client_ip(request), 45),
        user_agent=_clean(agent, 200),
    )


def retention_cutoff(now=None) -> datetime.datetime:
    """Records at or after this time are within the retention and may not be removed."""
    return (now or timezone.now()) - datetime.timedelta(days=retention_days())


def audit_prune(*, before: datetime.datetime) -> dict[str, int]:
    """Remove audit and login records older than ``before``, which must lie before the
    retention's cut-off. Each chain stays verifiable: its head keeps, as the anchor, the
    hash the first kept row links to. Answers the number removed per chain."""
    if before > retention_cutoff():
        raise ValidationError(
            {
                "before": [
                    _("Audit records are kept %(days)s days; none younger may be removed.")
                    % {"days": retention_days()}
                ]
            }
        )
    removed = {}
    with transaction.atomic():
        for model in CHAINED_MODELS:
            head, _created = ChainHead.objects.select_for_update().get_or_create(
                name=model.chain_name
            )
            old = model.objects.filter(at__lt=before)
            first_kept = model.objects.filter(at__gte=before).order_by("id").first()
            last_old = old.order_by("-id").first()
            if last_old is None:
                removed[model.chain_name] = 0
                continue
            if first_kept is not None and first_kept.pk < last_old.pk:
                # Out-of-order times: cut at the first kept row's place in the chain.
                old = model.objects.filter(pk__lt=first_kept.pk)
            anchor = first_kept.prev_hash if first_kept is not None else head.last_hash
            # The ORM refuses to delete audit rows; the prune is the one raw delete.
            removed[model.chain_name] = old._raw_delete(old.db)
            ChainHead.objects.filter(pk=head.pk).update(anchor_hash=anchor, pruned_before=before)
    return removed
