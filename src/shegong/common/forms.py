from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


class BootstrapMixin:
    """Give every widget its Bootstrap 5 class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, CHECK_WIDGETS):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def add_error(self, field, error):
        # Every error path (field cleaning, form clean, service errors) comes through here.
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def submit_form(request, form, action, success_message):
    """Validate ``form``; if valid, run ``action(cleaned_data)`` (a service call) and flash
    ``success_message``. A service's ValidationError lands on the form's fields.

    Returns ``(True, result)`` on success, ``(False, None)`` otherwise.
    """
    from django.contrib import messages

    if not form.is_valid():
        return False, None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False, None
    messages.success(request, success_message)
    return True, result


def post_from_page(request, form, action, success_message, *, back, page):
    """A form posted from an object's page: a lifecycle step, or a line added to the object.

    Valid and accepted by ``action(cleaned_data)`` (a service call): flash
    ``success_message`` and go back to ``back`` (an object or a URL). Refused to this user
    (PermissionDenied): flash why and go back. Otherwise ``page(form)``, the page again with
    the form's errors (a service's ValidationError lands on its fields), answered 400."""
    from django.contrib import messages
    from django.shortcuts import redirect

    try:
        ok, _result = submit_form(request, form, action, success_message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if ok:
        return redirect(back)
    response = page(form)
    response.status_code = 400
    return response


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel file"))
    dry_run = forms.BooleanField(
        label=_("Check only (write nothing)"), required=False, initial=True
    )
