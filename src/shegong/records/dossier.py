"""The services a client received (the ledger's lines naming them) on the person's file."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from shegong.clients import dossier

from . import selectors


def _entry(record):
    return dossier.Entry(
        on=record.served_on,
        title=f"{record.get_method_display()} · {record.field.name} · {record.unit.name}",
        detail=record.outcome or record.notes,
        url=reverse("records:record-detail", args=[record.pk]),
    )


def register():
    dossier.register_section(
        "services",
        label=gettext_lazy("Services"),
        order=40,
        rows=lambda user, client: (
            selectors.records_for(user).filter(clients=client).order_by("-served_on", "-id")
        ),
        entry=_entry,
    )
