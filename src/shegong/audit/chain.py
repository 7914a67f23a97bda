"""Hash chains over the audit records.

Each row stores ``prev_hash`` (the hash of the row before it in its chain, or the chain's
anchor for the first one) and ``hash`` = HMAC-SHA256 of ``prev_hash`` and the row's canonical
content (its ``chain_fields`` as sorted, compact JSON), keyed by a key derived from the
secret key. The key lives in the servers' environment, not in the database, so whoever can
write the database can neither forge a row nor rebuild the whole chain; after a secret-key
rotation the old key stays in ``SECRET_KEY_FALLBACKS`` and verification accepts it.

A row edited in place no longer matches its hash; a row deleted breaks the link of the row
after it, and the newest rows deleted no longer reach the hash kept on the chain's head.

Writers append under a lock on the chain's head row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's immediate transactions let one writer in at a time), so two concurrent
writers never link to the same previous row."""

import datetime
import json
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.crypto import salted_hmac


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def canonical(record) -> str:
    content = {name: _plain(getattr(record, name)) for name in record.chain_fields}
    content["chain"] = record.chain_name
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_SALT = "shegong.audit.chain"


def row_hash(record, prev_hash: str, secret=None) -> str:
    """The row's link: keyed by the current secret key unless ``secret`` is given."""
    message = f"{prev_hash}\n{canonical(record)}"
    return salted_hmac(_SALT, message, secret=secret, algorithm="sha256").hexdigest()


def _matches(record) -> bool:
    from django.conf import settings

    secrets = [None, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(row_hash(record, record.prev_hash, secret) == record.hash for secret in secrets)


def _locked_head(name: str):
    from .models import ChainHead

    head, _created = ChainHead.objects.select_for_update().get_or_create(name=name)
    return head


def append(record, insert) -> None:
    """Link ``record`` to its chain and ``insert()`` it, under the head's lock."""
    from .models import ChainHead

    with transaction.atomic():
        head = _locked_head(record.chain_name)
        record.prev_hash = head.last_hash
        record.hash = row_hash(record, record.prev_hash)
        insert()
        ChainHead.objects.filter(pk=head.pk).update(last_hash=record.hash)


@dataclass
class Break:
    chain: str
    row_id: int | None
    problem: str

    def __str__(self):
        where = f"row {self.row_id}" if self.row_id is not None else "end of the chain"
        return f"{self.chain}: {where}: {self.problem}"


@dataclass
class Verdict:
    chain: str
    rows: int
    head: str
    broken: Break | None


def verify(model) -> Verdict:
    """Recompute ``model``'s chain from its anchor; the first broken row, if any."""
    from .models import ChainHead

    head = ChainHead.objects.filter(pk=model.chain_name).first()
    expected = head.anchor_hash if head else ""
    count = 0
    last_id = None
    for record in model.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if record.prev_hash != expected:
            problem = "does not link to the row before it (a row before it was deleted or edited)"
            return Verdict(
                model.chain_name, count, expected, Break(model.chain_name, record.pk, problem)
            )
        if not _matches(record):
            problem = (
                "its content does not match its hash (edited, or hashed without the servers' key)"
            )
            return Verdict(
                model.chain_name, count, expected, Break(model.chain_name, record.pk, problem)
            )
        expected = record.hash
        last_id = record.pk
    if head is not None and head.last_hash != expected:
        problem = f"the newest rows after row {last_id} are missing (deleted)"
        return Verdict(model.chain_name, count, expected, Break(model.chain_name, None, problem))
    return Verdict(model.chain_name, count, expected, None)


def rechain(model, head_model, name: str, fields: tuple[str, ...]) -> None:
    """Link rows written before the chain existed (for the migration that adds it, whose
    historical models know neither ``chain_name`` nor ``chain_fields``): each row, oldest
    first, to the one before, and the head to the newest."""
    previous = ""
    for record in models.QuerySet(model).order_by("id").iterator():
        record.chain_name, record.chain_fields = name, fields
        record.prev_hash = previous
        record.hash = row_hash(record, previous)
        # A plain queryset: the model's own refuses updates.
        models.QuerySet(model).filter(pk=record.pk).update(
            prev_hash=record.prev_hash, hash=record.hash
        )
        previous = record.hash
    head_model.objects.update_or_create(name=name, defaults={"last_hash": previous})
