"""The station supervisor's review of a crisis-word alert (issue 10 item 11): confirm it, or
dismiss it with a reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page

from . import services
from .forms import AlertForm
from .models import AlertReview, RiskAlert


@scoped_page
@require_POST
def alert_review(request, pk):
    alert = get_object_or_404(
        RiskAlert.objects.visible_to(request.user).select_related("client"), pk=pk
    )
    decision = request.POST.get("decision", "")
    try:
        services.risk_alert_review(
            alert=alert, actor=request.user, decision=decision, note=request.POST.get("note", "")
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("clients:alert-list")
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"note": exc.messages}
        return render(
            request,
            "clients/alert_list.html",
            {"alerts": [alert], "form": AlertForm(), "review_errors": errors},
            status=400,
        )
    if decision == AlertReview.CONFIRMED:
        messages.success(request, _("The alert is confirmed; record the action taken."))
    else:
        messages.success(request, _("The alert has been dismissed."))
    return redirect("clients:alert-list")
