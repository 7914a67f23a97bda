"""The client's home visits on the person's file (``clients.dossier``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.access.scoping import can_edit_clients
from shegong.clients import dossier

from . import selectors


def _entry(visit):
    return dossier.Entry(
        on=visit.visited_on,
        title=f"{_('Home visit')} · {visit.get_mode_display()} · {visit.visitor}",
        detail=visit.findings,
        url=dossier.url_or_blank("visits:visit-detail", visit.pk),
        badge=visit.get_risk_change_display() if visit.risk_change else "",
        badge_class="bg-warning text-dark",
    )


def _actions(user, client):
    if can_edit_clients(user):
        yield dossier.Action(
            _("Record a visit"),
            reverse("visits:visit-create", args=[client.pk]),
            key="visit",
            primary=True,
        )


def register():
    dossier.register_section(
        "visits",
        label=gettext_lazy("Home visits"),
        order=20,
        rows=lambda user, client: (
            selectors.visits_for(user).filter(client=client).order_by("-visited_on", "-id")
        ),
        entry=_entry,
    )
    dossier.register_actions(_actions, order=10)
