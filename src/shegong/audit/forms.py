"""The audit logs' filters: who, what, when (a date range) and which action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.common.forms import BootstrapMixin
from shegong.common.history import ACTIONS

from .models import AccessLog, LoginEvent
from .registry import history_key, history_sources

# The change log's actions by name: "+" would come back from a query string as a space.
CHANGE_ACTIONS = {"created": "+", "changed": "~", "deleted": "-"}


class LogFilter(BootstrapMixin, forms.Form):
    user = forms.CharField(label=_("username"), required=False, max_length=150)
    start = forms.DateField(label=_("start date"), required=False)
    end = forms.DateField(label=_("end date"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The selector's keywords (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["username"] = data.pop("user")
        return data


class ChangeFilter(LogFilter):
    type = forms.ChoiceField(label=_("record type"), required=False)
    action = forms.ChoiceField(
        label=_("action"),
        required=False,
        choices=[("", _("any action"))]
        + [(name, ACTIONS[code]) for name, code in CHANGE_ACTIONS.items()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All records"))] + sorted(
            ((history_key(model), label) for model, label, _field in history_sources()),
            key=lambda choice: str(choice[1]),
        )

    def filters(self) -> dict:
        data = super().filters()
        if data:
            data["kind"] = data.pop("type")
            data["action"] = CHANGE_ACTIONS.get(data["action"], "")
        return data


class AccessFilter(LogFilter):
    type = forms.CharField(label=_("record type"), required=False, max_length=50)
    action = forms.ChoiceField(
        label=_("action"),
        required=False,
        choices=[("", _("any action")), *AccessLog.Action.choices],
    )

    def filters(self) -> dict:
        data = super().filters()
        if data:
            data["object_type"] = data.pop("type")
        return data


class LoginFilter(LogFilter):
    action = forms.ChoiceField(
        label=_("event"), required=False, choices=[("", _("any event")), *LoginEvent.Kind.choices]
    )

    def filters(self) -> dict:
        data = super().filters()
        if data:
            data["kind"] = data.pop("action")
        return data
