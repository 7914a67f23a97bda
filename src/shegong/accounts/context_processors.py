from shegong.access import scoping
from shegong.access.models import Role


def access(request):
    """What the navigation needs: which sections this user may open, and open alerts."""
    user = request.user
    if not user.is_authenticated:
        return {}
    from .middleware import pending_step

    if pending_step(request) is not None:
        # Half logged in (second factor or new password owed): no section, no alert count.
        return {"login_pending": True}
    from shegong.clients.models import RiskAlert

    has_data_scope = bool(scoping.scope_prefixes(user))
    return {
        "can_manage_accounts": scoping.can_manage_accounts(user),
        "can_edit_network": scoping.can_edit_network(user),
        "can_edit_workers": scoping.can_edit_workers(user),
        "can_view_audit": scoping.can_view_audit(user),
        "can_manage_security": scoping.can_manage_security(user),
        "can_edit_clients": scoping.can_edit_clients(user),
        "has_data_scope": has_data_scope,
        # Purchased services: the district and stations, purchasers, agencies, evaluators.
        "sees_projects": has_data_scope
        or scoping.has_role(user, Role.PURCHASER, Role.AGENCY_STAFF, Role.EVALUATOR),
        "open_alerts": (RiskAlert.objects.visible_to(user).open().count() if has_data_scope else 0),
    }
