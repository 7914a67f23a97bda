"""Reads of notifications, channels and the lexicon: each person's own notifications only;
channels of the units in the reader's scope."""

from django.shortcuts import get_object_or_404

from shegong.access.models import Role
from shegong.access.scoping import filter_by_scope, has_role

from .models import Channel, CrisisWord, Delivery, Notification


def notifications_for(user):
    return Notification.objects.filter(user=user)


def notification_get(user, pk) -> Notification:
    return get_object_or_404(notifications_for(user), pk=pk)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def channels_for(user):
    return filter_by_scope(
        Channel.objects.select_related("unit"), user, "unit__division__code"
    ).order_by("unit__division_id", "name")


def channel_get(user, pk) -> Channel:
    return get_object_or_404(channels_for(user), pk=pk)


def deliveries_of(channel):
    return Delivery.objects.filter(channel=channel).order_by("-created_at", "-pk")


def can_edit_lexicon(user) -> bool:
    return has_role(user, Role.DISTRICT_ADMIN)


def crisis_words():
    return CrisisWord.objects.order_by("category", "word")
