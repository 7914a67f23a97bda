from django import template

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context):
    """The bell with the unread count, for the navigation bar (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or context.get("login_pending"):
        return {"show": False}
    return {"show": True, "unread": unread_count(user)}
