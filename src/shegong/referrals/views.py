from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients, in_scope, unit_ids
from shegong.clients.selectors import client_get
from shegong.common.forms import form_page
from shegong.network.models import UnitKind

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
    form = ReferralForm(request.POST or None, user=request.user, client=client)
    found = {}

    def save(data):
        try:
            return services.referral_create(actor=request.user, client=client, **data)
        except services.DuplicateReferral as exc:
            found["first"] = exc.first  # the page links to the referral waiting
            raise

    return form_page(
        request,
        form,
        "referrals/referral_form.html",
        save=save,
        success_message=_("The referral has been sent."),
        done=lambda referral: reverse("referrals:referral-detail", args=[referral.pk]),
        context={"client": client, "duplicate_of": found},
        refused_status=400,
    )


def _next_steps(user, referral) -> dict:
    """What the receiving unit does once it has accepted: assign one of its workers to the
    client's case (which came with the referral), or open a case if the client has none.
    Only the steps this user may take now, through the cases' own paths."""
    from shegong.cases.forms import ReassignForm
    from shegong.cases.models import Case
    from shegong.cases.selectors import may_carry_case
    from shegong.cases.services import STEPS as CASE_STEPS

    unit = referral.to_unit
    if (
        referral.status != Status.ACCEPTED
        or unit is None
        or unit.pk not in unit_ids(user)
        or not can_edit_clients(user)
        or not in_scope(user, unit.division_id)
    ):
        return {}
    case = (
        Case.objects.visible_to(user)
        .open()
        .filter(client_id=referral.client_id)
        .select_related("case_worker", "unit")
        .first()
    )
    if case is None:
        if unit.kind in (UnitKind.ROOM, UnitKind.STATION):
            return {"open_case": reverse("cases:case-open", args=[referral.client_id])}
        return {}
    steps = {"case": case}
    if case.unit_id == unit.pk and case.stage in CASE_STEPS["reassign"][0]:
        steps["assign"] = ReassignForm(case=case)
        steps["needs_worker"] = not may_carry_case(case.case_worker, unit)
    return steps


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
            "next": _next_steps(request.user, referral),
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
    done = {
        Status.ACCEPTED: _("The referral has been accepted. Next: the client's case, below."),
    }
    messages.success(request, done.get(status, _("The referral has been updated.")))
    return redirect("referrals:referral-detail", pk=pk)
