"""Page guards. Every page view is declared scope-safe with ``@scoped_page``; a test walks
the URL configuration and fails on any page that is not (deny by default)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def scoped_page(view=None, *, check=None):
    """Require a signed-in user, optionally passing ``check(user)`` (else 403), and mark the
    view as one that reads only through scoped selectors."""

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if check is not None and not check(request.user):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        guarded = login_required(wrapper)
        guarded.scope_safe = True
        return guarded

    return decorate(view) if view is not None else decorate
