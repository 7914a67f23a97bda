"""The client's cases on the person's file (``clients.dossier``), and the one case action:
open a case only while the client has none open, else go to the open one."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.access.scoping import can_edit_clients
from shegong.clients import dossier

from . import selectors
from .models import Case, Stage


def _entry(case):
    closed = case.stage == Stage.CLOSED
    return dossier.Entry(
        on=case.closed_on if closed and case.closed_on else case.opened_on,
        title=f"{_('Case')} {case.number} · {case.unit.name}",
        detail=case.presenting_problem,
        url=reverse("cases:case-detail", args=[case.pk]),
        badge=case.get_stage_display(),
        badge_class="bg-secondary" if closed else "bg-primary",
    )


def _actions(user, client):
    if not can_edit_clients(user):
        return
    # The one rule (case_open refuses the same): one open case per client, whoever holds it.
    current = Case.objects.open().filter(client=client).first()
    if current is None:
        yield dossier.Action(
            _("Open a case"), reverse("cases:case-open", args=[client.pk]), key="open-case"
        )
    elif selectors.cases_for(user).filter(pk=current.pk).exists():
        yield dossier.Action(
            _("Open case %(number)s") % {"number": current.number},
            reverse("cases:case-detail", args=[current.pk]),
            key="current-case",
        )


def register():
    dossier.register_section(
        "cases",
        label=gettext_lazy("Cases"),
        order=30,
        rows=lambda user, client: (
            selectors.cases_for(user).filter(client=client).order_by("-opened_on", "-id")
        ),
        entry=_entry,
    )
    dossier.register_actions(_actions, order=20)
