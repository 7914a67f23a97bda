from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


class VersionConflict(ValidationError):
    """A write named a version of the record that is no longer current: someone else saved
    it since the writer read it. ``current`` is the row as stored now (locked), so a page can
    show its values; the API answers 412 Precondition Failed (``common.api``)."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            {
                "version": [
                    _(
                        "Someone else changed this record after you opened it (it is now at "
                        "version %(version)s). Your changes were not saved: check the current "
                        "values and make them again."
                    )
                    % {"version": current.version}
                ]
            },
            code="conflict",
        )


def save_with_history(instance, *, actor, update_fields=None):
    """full_clean, record who made the change for django-simple-history, then save (a
    ``Versioned`` record takes the next version as it is saved)."""
    instance.full_clean()
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    instance.save(update_fields=update_fields)
    return instance


def parse_version(value) -> int | None:
    """A version as a writer gives it (a form's hidden field, an ``If-Match`` tag ``"3"``
    or ``W/"3"``): the number, or None when none is given or the value is not one (a
    version that is no number can never be current, so it is a conflict, not a 400)."""
    text = "" if value is None else str(value).strip()
    if text in ("", "*"):  # none given, or "any version"
        return None
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    return int(text) if text.isdigit() else -1


class Write:
    """One writer's write of one record (``expecting``): the version it read, if it named
    one, and the version its own last save gave the row."""

    def __init__(self, expected: int | None):
        self.expected, self.saved = expected, None


# The records a request is writing: {(model label, pk): Write}.
_writes: ContextVar[dict | None] = ContextVar("writes", default=None)


def _key(instance) -> tuple[str, object]:
    return (instance._meta.concrete_model._meta.label, instance.pk)


@contextmanager
def expecting(instance, version):
    """Within the block, a write of ``instance``'s record goes ahead only if the row is
    still at ``version`` (what the writer read: an ``If-Match``, a page's hidden field):
    checked at once, and again by whatever locks or saves the row inside the write's own
    transaction (``locked``, ``step_locked``, ``Versioned.save``), so that no write slips in
    between. A stale version is a ``VersionConflict``. ``version`` None: no condition.

    Yields the ``Write``: its ``saved`` is the version the block's own last save gave the
    row (None if it saved none), whatever other writers did after it."""
    write = Write(parse_version(version))
    if instance is None or instance.pk is None:
        yield write
        return
    if write.expected is not None:
        stored = type(instance)._base_manager.filter(pk=instance.pk).first()
        if stored is not None and stored.version != write.expected:
            raise VersionConflict(stored)
    token = _writes.set({**(_writes.get() or {}), _key(instance): write})
    try:
        yield write
    finally:
        _writes.reset(token)


def check_expected_version(instance, stored_version: int) -> None:
    """Inside the write's transaction, the row locked at ``stored_version``: refuse it if the
    writer (``expecting``) read another version (or, once it saved, if its own save is no
    longer the last)."""
    write = (_writes.get() or {}).get(_key(instance))
    if write is None or write.expected is None:
        return
    expected = write.saved if write.saved is not None else write.expected
    if stored_version != expected:
        raise VersionConflict(type(instance)._base_manager.get(pk=instance.pk))


def saved_version(instance) -> None:
    """A write under ``expecting`` saved the record: note the version it gave it."""
    write = (_writes.get() or {}).get(_key(instance))
    if write is not None:
        write.saved = instance.version


def locked(instance, *, expected_version=None):
    """The row of ``instance`` as stored now, locked until the transaction ends (call it
    inside one). With ``expected_version`` (what the writer read), or under ``expecting``,
    a row saved since is a ``VersionConflict``."""
    current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    expected = parse_version(expected_version)
    if expected is not None and current.version != expected:
        raise VersionConflict(current)
    if hasattr(current, "version"):
        check_expected_version(current, current.version)
    return current


def locked_into(instance):
    """``instance`` brought up to its row as stored, the row locked until the transaction
    ends: a step that may follow another (a second session of an activity) works on the
    state as it is now, and the caller's object shows it afterwards."""
    _take_row(instance, locked(instance))
    return instance


def step_locked(instance, field: str):
    """Compare-and-set for a lifecycle step: the row of ``instance`` locked, refused on
    ``field`` when its ``field`` (the stage, the status) is no longer what the caller read,
    i.e. another step was taken meanwhile. Call inside the step's transaction.

    Returns ``instance`` itself, brought up to the row as stored: the step then changes the
    caller's object, so a caller taking the next step with it reads the stage it left."""
    current = locked(instance)
    read, now = getattr(instance, field), getattr(current, field)
    if read != now:
        display = getattr(current, f"get_{field}_display", lambda: now)()
        raise ValidationError(
            {
                field: [
                    _(
                        "This record moved on while you were working (it is now “%(now)s”). "
                        "Reload it and try again."
                    )
                    % {"now": display}
                ]
            },
            code="conflict",
        )
    _take_row(instance, current)
    return instance


def refuse_unknown(data, allowed) -> None:
    """A write names only fields it may change: any other is a field error."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({f: [_("This field cannot be changed here.")] for f in unknown})


def _stored_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@transaction.atomic
def model_update(
    instance, data, *, allowed, actor, validate=None, expected_version=None
) -> list[str]:
    """Apply ``data`` to the record of ``instance`` (the fields of ``allowed`` only), so
    that no other writer's change is lost:

    - the row is read again, locked, inside the transaction; with ``expected_version``
      (what the writer read) a row saved since is a ``VersionConflict``;
    - only the fields ``data`` changes from what the writer read (``instance``) are set on
      it, then ``validate(row)`` runs (it may derive further fields);
    - only the fields that differ from the stored row are written (``update_fields``, plus
      the next version), with a history row.

    ``instance`` then holds the row as saved. Returns the names of ``data`` that changed;
    nothing is saved when none did."""
    refuse_unknown(data, allowed)
    current = locked(instance, expected_version=expected_version)
    stored = _stored_values(current)
    # What this writer changes is what differs from what it read; a field it left as it
    # read it keeps whatever another writer saved meanwhile.
    changed = [
        name
        for name, value in data.items()
        if getattr(instance, name) != value and getattr(current, name) != value
    ]
    for name in changed:
        setattr(current, name, data[name])
    if changed:
        if validate is not None:
            validate(current)
        update_fields = [
            f.name
            for f in current._meta.concrete_fields
            if not f.primary_key and getattr(current, f.attname) != stored[f.attname]
        ]
        if update_fields:
            save_with_history(current, actor=actor, update_fields=update_fields)
    _take_row(instance, current)
    return changed


def _take_row(instance, current) -> None:
    """``instance`` becomes the row as stored (``current``), related objects included."""
    for field in instance._meta.concrete_fields:
        if getattr(instance, field.attname) != getattr(current, field.attname):
            setattr(instance, field.attname, getattr(current, field.attname))
            if field.is_relation and field.is_cached(instance):
                field.delete_cached_value(instance)


IDEMPOTENCY_KEY_FIELD = "idempotency_key"


def clean_idempotency_key(value) -> str:
    """A client's key as given (a form's hidden field, an ``Idempotency-Key`` header):
    1–64 characters of letters, digits and ``-_.:``; anything else is no key."""
    import re

    text = (value or "").strip()
    return text if re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", text) else ""


def once(user, key: str, create):
    """Run ``create()`` (a service call creating one record) once per ``(user, key)``: the
    same account sending the same key again (a double tap, a re-posted form, a retried
    request) gets the record the first call created, and nothing is written again. Without
    a key, ``create()`` runs as it is. Two concurrent sends: the second waits on the key's
    unique row, then answers the first one's record."""
    from django.apps import apps
    from django.db import IntegrityError

    from .models import IdempotencyKey

    key = clean_idempotency_key(key)
    if not key or not getattr(user, "pk", None):
        return create()

    def first():
        done = IdempotencyKey.objects.filter(user=user, key=key).first()
        if done is None:
            return None
        model = apps.get_model(done.model)
        manager = getattr(model, "all_objects", model._default_manager)
        return manager.filter(pk=done.object_id).first()

    found = first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            result = create()
            IdempotencyKey.objects.create(
                user=user, key=key, model=result._meta.label, object_id=result.pk
            )
    except IntegrityError:
        found = first()
        if found is None:
            raise
        return found
    return result
