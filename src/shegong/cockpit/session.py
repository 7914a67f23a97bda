"""The idle-logout warning's "stay logged in": any request refreshes the session
(``SESSION_SAVE_EVERY_REQUEST``); this one answers how long it now lasts."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from shegong.access.decorators import scoped_page


@never_cache
@scoped_page
def keepalive(request):
    request.session.modified = True
    return JsonResponse({"seconds": settings.SESSION_COOKIE_AGE})
