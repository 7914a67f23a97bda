"""The client's referrals on the person's file, and the "refer" action."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.access.scoping import can_edit_clients
from shegong.clients import dossier

from . import selectors
from .models import Status


def _entry(referral):
    target = referral.to_unit.name if referral.to_unit_id else referral.external_name
    return dossier.Entry(
        on=dossier.local_day(referral.created_at),
        title=f"{_('Referral')} {referral.from_unit.name} → {target}",
        detail=referral.reason,
        url=reverse("referrals:referral-detail", args=[referral.pk]),
        badge=referral.get_status_display(),
        badge_class="bg-warning text-dark" if referral.status == Status.PENDING else "bg-secondary",
    )


def _actions(user, client):
    if can_edit_clients(user):
        yield dossier.Action(
            _("Refer"), reverse("referrals:referral-create", args=[client.pk]), key="refer"
        )


def register():
    dossier.register_section(
        "referrals",
        label=gettext_lazy("Referrals"),
        order=50,
        rows=lambda user, client: (
            selectors.referrals_for(user).filter(client=client).order_by("-created_at", "-id")
        ),
        entry=_entry,
    )
    dossier.register_actions(_actions, order=30)
