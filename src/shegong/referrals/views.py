from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.clients.selectors import client_get
from shegong.common.forms import form_page

from . import selectors, services
from .forms import DecisionForm, ReferralForm
from .models import Status


@scoped_page
def referral_list(request):
    return render(
        request,
        "referrals/referral_list.html",
        {
            "inbox": selectors.inbox(request.user),
            "recent": selectors.referrals_for(request.user)[:50],
        },
    )


@scoped_page(check=can_edit_clients)
def referral_create(request, pk):
    client = client_get(request.user, pk)
    return form_page(
        request,
        ReferralForm(request.POST or None, user=request.user, client=client),
        "referrals/referral_form.html",
        save=lambda data: services.referral_create(actor=request.user, client=client, **data),
        success_message=_("The referral has been sent."),
        done=lambda referral: reverse("referrals:referral-detail", args=[referral.pk]),
        context={"client": client},
    )


@scoped_page
def referral_detail(request, pk):
    referral = selectors.referral_get(request.user, pk)
    allowed = services.TRANSITIONS.get(referral.status, set())
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "form": DecisionForm(),
            "can_decide": services.can_decide(request.user, referral),
            "can_cancel": services.can_cancel(request.user, referral),
            "may": {s: s in allowed for s in Status.values},
        },
    )


@require_POST
@scoped_page(check=can_edit_clients)
def referral_transition(request, pk, status):
    from django.contrib import messages

    referral = selectors.referral_get(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.referral_transition(
            referral=referral,
            to_status=status,
            actor=request.user,
            note=form.cleaned_data.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return redirect("referrals:referral-detail", pk=pk)
    messages.success(request, _("The referral has been updated."))
    return redirect("referrals:referral-detail", pk=pk)
