import uuid

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


class BootstrapMixin:
    """Give every widget its Bootstrap 5 class; every date field is a date picker and free
    text two rows high unless the form asks for more."""

    def __init__(self, *args, **kwargs):
        from .validators import harden_form_fields

        super().__init__(*args, **kwargs)
        harden_form_fields(self.fields)  # no control characters, bounded free text
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, CHECK_WIDGETS):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":
                # Django's default is ten rows; free text here is two unless a form asks.
                widget.attrs["rows"] = 2
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


class ServiceValidatedForm(forms.ModelForm):
    """A model form whose instance a service validates and saves: the form checks its
    fields, the service the whole record (``submit_form`` puts its errors on the fields).

    Editing a versioned record (``common.models.Versioned``), the form carries the version
    it showed as a hidden ``version`` field; ``submit_form`` saves only if the record is
    still at that version, and otherwise shows the conflict and the current values."""

    def __init__(self, *args, **kwargs):
        from .api import is_versioned

        super().__init__(*args, **kwargs)
        if is_versioned(self.instance):
            # Text, not a number: a version that is no number is a conflict, not a hidden
            # field's error nobody sees (``services.parse_version``).
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=12
            )
            self.initial.setdefault("version", self.instance.version)

    def _post_clean(self):
        pass


def _expected_version(form):
    """The version an edit form showed (None: not a versioned edit, or none posted)."""
    from .api import is_versioned

    if "version" not in form.fields or not is_versioned(getattr(form, "instance", None)):
        return None
    return form.cleaned_data.get("version")


def _without_version(form) -> dict:
    """What the service takes: the cleaned data less the hidden version."""
    if "version" not in form.fields:
        return form.cleaned_data
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


def show_current(form, current) -> None:
    """After a conflict: the form shows ``current``'s values (and its version, so that a
    second save is against it), keeping the errors it has."""
    from django.forms.models import model_to_dict

    fields = list(form.fields)
    shown, now = model_to_dict(form.instance, fields=fields), model_to_dict(current, fields=fields)
    secret = set(getattr(type(current), "SENSITIVE_FIELDS", ()))
    for name, value in now.items():
        # A value the form chose not to show (a sensitive one left blank) stays unshown.
        if name not in secret and form.initial.get(name) == shown.get(name):
            form.initial[name] = value
    form.initial["version"] = current.version
    form.instance = current
    form.is_bound = False  # the fields render the initial values; the errors stay
    form._bound_fields_cache = {}


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
    ``success_message``. A service's ValidationError lands on the form's fields. An edit
    form whose record was saved by someone else since it was shown (its hidden ``version``)
    saves nothing: it shows the conflict and the current values.

    Returns ``(True, result)`` on success, ``(False, None)`` otherwise.
    """
    from django.contrib import messages

    from .services import VersionConflict, expecting

    if not form.is_valid():
        return False, None
    try:
        # The version the page showed, checked where the service locks and saves the row.
        with expecting(getattr(form, "instance", None), _expected_version(form)):
            result = action(_without_version(form))
    except VersionConflict as exc:
        form.add_error(None, exc.messages[0])
        show_current(form, exc.current)
        return False, None
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


class VoidForm(BootstrapMixin, forms.Form):
    """Voiding a record (a visit, a service record): it stays, with the reason."""

    reason = forms.CharField(
        label=_("reason for voiding"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel file"))
    dry_run = forms.BooleanField(
        label=_("Check only (write nothing)"), required=False, initial=True
    )


def form_page(
    request,
    form,
    template,
    *,
    save,
    success_message,
    done=None,
    context=None,
    refused_status=200,
):
    """The page that creates or edits one object through a form.

    On POST, ``save(cleaned_data)`` (a service call) runs through :func:`submit_form`; once
    it succeeds, the answer is a redirect to ``done``: an object or URL, or a function of
    what ``save`` returned (by default that result itself, an object with its own page).
    Otherwise, and on GET, ``template`` with the form and ``context``; a refused form is
    answered ``refused_status``."""
    from django.shortcuts import redirect, render

    if _creates(form):
        # A create's form carries a key of its own (a hidden field, rendered with the
        # form's other hidden fields): the same form posted twice (a double tap, the back
        # button) answers the record the first post created.
        save = _with_idempotency_key(request, form, save)
    if request.method == "POST":
        ok, result = submit_form(request, form, save, success_message)
        if ok:
            if done is None:
                return redirect(result)
            return redirect(done(result) if callable(done) else done)
    status = refused_status if form.errors else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)


def _creates(form) -> bool:
    """A form that creates a record (an edit form's instance is already saved)."""
    instance = getattr(form, "instance", None)
    return instance is None or instance.pk is None


def _with_idempotency_key(request, form, save):
    from .services import IDEMPOTENCY_KEY_FIELD, clean_idempotency_key, once

    key = clean_idempotency_key(request.POST.get(IDEMPOTENCY_KEY_FIELD))
    form.fields[IDEMPOTENCY_KEY_FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64
    )
    form.initial[IDEMPOTENCY_KEY_FIELD] = key or uuid.uuid4().hex

    def save_once(data):
        data = {k: v for k, v in data.items() if k != IDEMPOTENCY_KEY_FIELD}
        return once(request.user, key, lambda: save(data))

    return save_once


def list_page(request, items, template, *, export=None, context=None, per_page=50):
    """A list page: ``items`` (already searched and filtered) paged as ``page``: numbered
    pages, a count that stops at 10,000 ("10,000+") and keyset pages past it
    (``?after=<id>``; ``common.paging``).

    With ``?export=xlsx`` and an ``export`` function, the answer is ``export(items)`` (a
    workbook download, all rows) instead. ``context`` is the page's other template
    context, or a function giving it, called only when the page itself is shown."""
    from django.shortcuts import render

    from .paging import page_of

    if export is not None and request.GET.get("export") == "xlsx":
        return export(items)
    page = page_of(request, items, per_page)
    extra = context() if callable(context) else context or {}
    return render(request, template, {"page": page, **extra})


def post_to_page(request, form, action, success_message, *, back, page):
    """A form posted from an object's page that goes back to it: like
    :func:`post_from_page`, except that a PermissionDenied is not flashed but answered
    403. Valid and accepted: flash ``success_message`` and redirect to ``back``; otherwise
    ``page(form)``, the page again with the form's errors, answered 400."""
    from django.shortcuts import redirect

    ok, _result = submit_form(request, form, action, success_message)
    if ok:
        return redirect(back)
    response = page(form)
    response.status_code = 400
    return response
