from rest_framework.permissions import SAFE_METHODS, BasePermission


def write_permission(check, read_check=None):
    """A DRF permission: reads for anyone signed in (scoping decides what they see),
    writes only for users passing ``check(user)``.

    On a detail route the write check waits for the object lookup, so an out-of-scope
    object answers 404 before anyone learns whether they could have changed it.
    """

    class WritePermission(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            if not (user and user.is_authenticated):
                return False
            if request.method in SAFE_METHODS:
                return read_check(user) if read_check else True
            if view.kwargs.get(getattr(view, "lookup_url_kwarg", None) or "pk"):
                return True
            return check(user)

        def has_object_permission(self, request, view, obj):
            if request.method in SAFE_METHODS:
                return True
            return check(request.user)

    WritePermission.__name__ = f"WritePermission_{getattr(check, '__name__', 'check')}"
    return WritePermission
