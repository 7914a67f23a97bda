from django import template

from ..services import can_review_alert

register = template.Library()


@register.filter
def may_review(alert, user) -> bool:
    """Whether ``user`` may confirm or dismiss this crisis-word alert."""
    return alert.review == "pending" and can_review_alert(user, alert)
