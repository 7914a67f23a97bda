from django.conf import settings
from django.utils.functional import SimpleLazyObject

from shegong.access.scoping import can_view_coverage

from .workbench import menu_badges


def menu(request):
    """What the menu adds to ``accounts.context_processors.access``: the sections only some
    roles may open, the badges of what waits (capped counts, read only if the menu shows
    them: a half-logged-in session's menu has no section), and the idle-logout clock."""
    user = request.user
    if not user.is_authenticated:
        return {}
    seconds = settings.SESSION_COOKIE_AGE
    return {
        "can_view_coverage": SimpleLazyObject(lambda: can_view_coverage(user)),
        "menu_badges": SimpleLazyObject(lambda: menu_badges(user)),
        "session_seconds": seconds,
        # The warning shows a minute before (half the time for very short sessions).
        "session_warn_seconds": min(60, seconds // 2),
    }
