from django.shortcuts import render

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_view_audit

from .registry import history_sources
from .selectors import change_log, login_log, sensitive_access_log


@scoped_page(check=can_view_audit)
def change_log_page(request):
    kind = request.GET.get("kind", "")
    return render(
        request,
        "audit/change_log.html",
        {
            "rows": change_log(request.user, kind=kind),
            "kinds": [(m._meta.model_name, label) for m, label, _f in history_sources()],
            "kind": kind,
            "logins": login_log(request.user, limit=50),
            "accesses": sensitive_access_log(request.user, limit=100),
        },
    )
