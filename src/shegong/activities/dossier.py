"""The groups and community activities a client joined, on the person's file."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from shegong.clients import dossier

from . import selectors


def _entry(activity):
    return dossier.Entry(
        on=activity.start_on,
        title=f"{activity.get_kind_display()} · {activity.title} · {activity.unit.name}",
        detail=activity.goals,
        url=reverse("activities:activity-detail", args=[activity.pk]),
        badge=activity.get_status_display(),
    )


def register():
    dossier.register_section(
        "activities",
        label=gettext_lazy("Groups and activities"),
        order=60,
        rows=lambda user, client: (
            selectors.activities_for(user).filter(members=client).order_by("-start_on", "-id")
        ),
        entry=_entry,
    )
