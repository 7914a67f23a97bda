"""Builders for the fields the apps' models keep declaring alike.

Each returns a plain Django field with exactly the arguments it spells out below, so the
migrations see the fields they always saw. What differs from model to model (the target,
the verbose name, the reverse name) stays at the call site, where it is read:

    unit = link("network.Unit", _("unit"), related_name="cases")
    head = optional_link("people.Worker", _("head"), related_name="+", on_delete=models.SET_NULL)
    client = belongs_to(Client, _("client"), related_name="consents")
    decided_by = actor_link(_("decided by"), optional=True)
    created_at = creation_time(_("referred at"))

Links PROTECT what they point at unless told otherwise: a unit, a client or a worker that
records point at is not deleted from under them.
"""

from django.conf import settings
from django.db import models


def link(to, verbose_name=None, *, related_name, on_delete=models.PROTECT, **options):
    """A required link to another model."""
    return models.ForeignKey(
        to, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name, **options
    )


def optional_link(to, verbose_name=None, *, related_name, on_delete=models.PROTECT, **options):
    """A link that may be left empty (``null`` in the table, ``blank`` in forms)."""
    return link(
        to,
        verbose_name,
        related_name=related_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        **options,
    )


def belongs_to(owner, verbose_name=None, *, related_name):
    """The link from a part to the record it belongs to: deleted with its owner."""
    return link(owner, verbose_name, related_name=related_name, on_delete=models.CASCADE)


def actor_link(verbose_name=None, *, optional=False, related_name="+", **options):
    """The account that did something to the record (created, decided, uploaded…).
    ``optional``: the step may not have happened yet, or the account may be gone."""
    builder = optional_link if optional else link
    return builder(settings.AUTH_USER_MODEL, verbose_name, related_name=related_name, **options)


def creation_time(verbose_name=None, **options):
    """When the record was entered, set once on creation."""
    return models.DateTimeField(verbose_name, auto_now_add=True, **options)
