from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user (pages, API, exports
    and downloads): they show personal data, a revealed ID number among them, which no
    browser cache, back button or proxy may keep. Static files never get here (WhiteNoise
    answers them first). API token users count too: DRF sets ``request.user`` on the way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RejectNulCharactersMiddleware:
    """Refuse requests carrying NUL characters with a 400.

    PostgreSQL text columns cannot hold NUL, so a NUL in any value reaching a lookup (a
    related-object id, a filter) would otherwise surface as a database error and a 500.
    Checked once here rather than in every field. The API answers as its other refusals do,
    JSON ``{"detail": ...}`` (the schema's ``ValidationError``); pages in plain text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            message = _("The request contains a NUL character, which no field accepts.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        def in_querydict(data) -> bool:
            return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in data.lists())

        if "\x00" in request.path or in_querydict(request.GET):
            return True
        if request.method not in {"POST", "PUT", "PATCH"}:
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith(
            ("multipart/form-data", "application/x-www-form-urlencoded")
        ):
            return in_querydict(request.POST)
        body = request.body
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"%00" in body
        return b"\x00" in body or b"\\u0000" in body
