from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.common.forms import form_page, list_page, post_from_page

from . import selectors, services
from .forms import ChannelForm, CrisisWordForm
from .models import Channel, CrisisWord


@scoped_page
def notification_list(request):
    unread = request.GET.get("unread") == "1"
    items = selectors.notifications_for(request.user)
    if unread:
        items = items.filter(read_at__isnull=True)
    return list_page(
        request,
        items,
        "notifications/notification_list.html",
        context={"unread_only": unread, "unread": selectors.unread_count(request.user)},
    )


@scoped_page
@require_POST
def notification_read(request, pk):
    """Mark one notification read and open what it is about."""
    note = selectors.notification_get(request.user, pk)
    services.notification_mark_read(notification=note, actor=request.user)
    target = note.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:notification-list")


@scoped_page
@require_POST
def notification_read_all(request):
    services.notifications_mark_all_read(actor=request.user)
    return redirect("notifications:notification-list")


def _channel_units(user):
    # The live units in the user's scope: the model a channel's unit points to, through its
    # own scoped queryset (this app imports no domain app).
    units = Channel._meta.get_field("unit").related_model.objects
    return units.visible_to(user).filter(closed_on__isnull=True).order_by("division_id")


@scoped_page(check=services.can_manage_channels)
def channel_list(request):
    form = ChannelForm(request.POST or None, units=_channel_units(request.user))
    if request.method == "POST":
        return form_page(
            request,
            form,
            "notifications/channel_list.html",
            save=lambda data: services.channel_save(actor=request.user, **data),
            success_message=_("The channel has been saved."),
            done=lambda channel: channel.get_absolute_url(),
            context={"channels": selectors.channels_for(request.user)},
            refused_status=400,
        )
    return render(
        request,
        "notifications/channel_list.html",
        {"form": form, "channels": selectors.channels_for(request.user)},
    )


@scoped_page(check=services.can_manage_channels)
def channel_detail(request, pk):
    channel = selectors.channel_get(request.user, pk)
    initial = {
        "unit": channel.unit,
        "kind": channel.kind,
        "name": channel.name,
        "recipients": channel.recipients,
        "kinds": channel.kinds,
        "is_active": channel.is_active,
    }
    form = ChannelForm(request.POST or None, initial=initial, units=_channel_units(request.user))
    return form_page(
        request,
        form,
        "notifications/channel_detail.html",
        save=lambda data: services.channel_save(actor=request.user, channel=channel, **data),
        success_message=_("The channel has been saved."),
        done=lambda saved: saved.get_absolute_url(),
        context={"channel": channel, "deliveries": selectors.deliveries_of(channel)[:50]},
        refused_status=400,
    )


@scoped_page
def crisis_word_list(request):
    editor = selectors.can_edit_lexicon(request.user)
    if not editor and not services.can_manage_channels(request.user):
        raise Http404
    form = CrisisWordForm(request.POST or None)
    context = {"words": selectors.crisis_words(), "editor": editor}
    if request.method == "POST":
        return post_from_page(
            request,
            form,
            lambda data: services.crisis_word_add(actor=request.user, **data),
            _("The word has been added."),
            back="notifications:crisis-words",
            page=lambda f: render(
                request, "notifications/crisis_words.html", {"form": f, **context}
            ),
        )
    return render(request, "notifications/crisis_words.html", {"form": form, **context})


@scoped_page
@require_POST
def crisis_word_toggle(request, pk):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    entry = get_object_or_404(CrisisWord, pk=pk)
    try:
        services.crisis_word_set_active(actor=request.user, entry=entry, active=not entry.is_active)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("notifications:crisis-words")
