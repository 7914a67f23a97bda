"""What every typed value must be, checked once for every way in (API, pages, imports).

* No control characters: a single-line value (a name, a phone, an address) refuses every
  one, tab and line breaks included; multi-line text (notes, outcomes) may hold a tab or a
  line break and nothing else below U+0020 (see ``text``).
* Free text is bounded: ``settings.SHEGONG_TEXT_MAX_LENGTH`` characters (default 2,000), so
  a 200 KB note is refused rather than stored. Columns with a ``max_length`` keep theirs.
* Phones are phones: a mainland mobile (``13812345678``, optionally ``+86``) or a landline
  with its area code (``023-67800000``), optionally with an extension (``-123``, ``转123``).

The rules are put on the models' fields when the project starts (:func:`harden_models`,
from ``CommonConfig.ready``): every text column of the project's apps gets them, so a
service's ``full_clean``, a model serializer and the imports all apply them with the
field's name, with no change to the database schema or the migrations. The pages' forms
(:func:`harden_form_fields`, from ``BootstrapMixin``) and the API's parsers
(``parsers``) apply the same checks to the fields that are not a model's.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField
from .text import CONTROL_CHARACTERS, LINE_CONTROL_CHARACTERS

DEFAULT_TEXT_MAX_LENGTH = 2000

MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d{9}"
LANDLINE = r"(?:\(0\d{2,3}\)|0\d{2,3}-?)[1-9]\d{6,7}(?:(?:-|转|#|ext\.?\s?)\d{1,6})?"
PHONE = re.compile(rf"^(?:{MOBILE}|{LANDLINE})$", re.IGNORECASE)


def text_max_length() -> int:
    """How long free text may be, in characters."""
    return getattr(settings, "SHEGONG_TEXT_MAX_LENGTH", DEFAULT_TEXT_MAX_LENGTH)


@deconstructible
class ControlCharacterValidator:
    """Refuse control characters; ``multiline`` text may hold tabs and line breaks."""

    code = "control_character"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        pattern = CONTROL_CHARACTERS if self.multiline else LINE_CONTROL_CHARACTERS
        if isinstance(value, str) and pattern.search(value):
            if self.multiline:
                message = _(
                    "Remove the control characters (only tabs and line breaks are allowed)."
                )
            else:
                message = _("Remove the control characters (tabs and line breaks included).")
            raise ValidationError(message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline


class FreeTextLengthValidator(MaxLengthValidator):
    """At most :func:`text_max_length` characters, read when checked (tests override it)."""

    def __init__(self):
        super().__init__(text_max_length)


def validate_phone(value) -> None:
    """A mainland mobile or a landline with its area code, optionally an extension."""
    if value and not PHONE.match(str(value).strip()):
        raise ValidationError(
            _(
                "Enter a mobile number (13812345678) or a landline with its area code "
                "(023-67800000)."
            ),
            code="phone",
        )


def is_phone_field(name: str) -> bool:
    return name == "phone" or name.endswith("_phone")


def _add(validators: list, validator) -> None:
    if not any(type(v) is type(validator) and v == validator for v in validators):
        validators.append(validator)


def field_rules(name: str, *, multiline: bool, bounded: bool) -> list:
    """The validators of a text field called ``name``."""
    phone = is_phone_field(name)
    rules = [ControlCharacterValidator(multiline=multiline and not phone)]
    if bounded:
        rules.append(FreeTextLengthValidator())
    if phone:
        rules.append(validate_phone)
    return rules


def harden_models(app_prefix: str = "shegong.") -> None:
    """Put the rules on every editable text column of the project's models."""
    from django.apps import apps

    for model in apps.get_models():
        if not model.__module__.startswith(app_prefix):
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "editable", False) or getattr(field, "choices", None):
                continue
            if isinstance(field, models.CharField):
                rules = field_rules(field.name, multiline=False, bounded=False)
            elif isinstance(field, models.TextField | EncryptedTextField):
                single = is_phone_field(field.name) or field.name == "id_number"
                rules = field_rules(
                    field.name, multiline=not single, bounded=field.max_length is None
                )
            else:
                continue
            for rule in rules:
                _add(field.validators, rule)


def harden_form_fields(fields) -> None:
    """The same rules on a form's text fields: multi-line where the widget is a text area,
    which is also bounded when its field has no length of its own."""
    from django import forms

    for field in fields.values():
        if not isinstance(field, forms.CharField):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        _add(field.validators, ControlCharacterValidator(multiline=multiline))
        if multiline and field.max_length is None:
            field.max_length = text_max_length()
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs.setdefault("maxlength", str(field.max_length))
