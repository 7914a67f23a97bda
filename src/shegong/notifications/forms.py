from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.common.forms import BootstrapMixin

from .models import ChannelKind, CrisisCategory, Kind


class ChannelForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("unit"))
    kind = forms.ChoiceField(choices=ChannelKind.choices, label=_("channel"))
    name = forms.CharField(max_length=100, label=_("name"))
    recipients = forms.CharField(
        max_length=500,
        required=False,
        label=_("e-mail addresses"),
        help_text=_("Comma-separated; empty: each notified person's own address."),
    )
    webhook_url = forms.URLField(
        assume_scheme="https",
        max_length=500,
        required=False,
        label=_("webhook address"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown again; leave empty to keep it."),
    )
    secret = forms.CharField(
        max_length=200,
        required=False,
        label=_("signing secret"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk's 加签 secret (SEC…), if the robot has one."),
    )
    kinds = forms.MultipleChoiceField(
        choices=Kind.choices,
        required=False,
        label=_("kinds"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: every kind."),
    )
    is_active = forms.BooleanField(required=False, initial=True, label=_("active"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CrisisWordForm(BootstrapMixin, forms.Form):
    word = forms.CharField(max_length=20, label=_("word"))
    category = forms.ChoiceField(choices=CrisisCategory.choices, label=_("category"))
    note = forms.CharField(max_length=200, required=False, label=_("note"))
