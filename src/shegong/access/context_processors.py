from . import scoping


def access(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "can_manage_accounts": scoping.can_manage_accounts(user),
        "can_edit_network": scoping.can_edit_network(user),
        "can_edit_workers": scoping.can_edit_workers(user),
        "can_view_audit": scoping.can_view_audit(user),
        "can_manage_security": scoping.can_manage_security(user),
        "has_data_scope": bool(scoping.scope_prefixes(user)),
        "can_edit_clients": scoping.can_edit_clients(user),
    }
