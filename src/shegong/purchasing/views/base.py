"""What the purchasing pages share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect


def post_back(request, form, action, success: str, back, *, flash_denied=False):
    """A small form posted from a detail page: run ``action(cleaned_data)`` (a service
    call), flash how it went and go back to the page at ``back``. A refusal is flashed; a
    PermissionDenied is a 403, or flashed too with ``flash_denied``."""
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        action(form.cleaned_data)
    except PermissionDenied as exc:
        if not flash_denied:
            raise
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(back)
