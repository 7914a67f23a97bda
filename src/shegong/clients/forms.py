from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.access.scoping import filter_by_scope
from shegong.common.autocomplete import VillageSelect, only_choice
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.divisions.models import Division, Level

from .models import Client, Consent, HouseholdMember, TargetGroup
from .sensitive import without_blank_sensitive
from .services import CLIENT_FIELDS


class ClientForm(BootstrapMixin, ServiceValidatedForm):
    """Sensitive fields are never filled in from the database: on edit, leave one blank to
    keep it (showing it would be a reveal without a reason or a log)."""

    id_number = forms.CharField(label=_("resident ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    health_notes = forms.CharField(label=_("health notes"), required=False, widget=forms.Textarea)
    guardian_phone = forms.CharField(label=_("guardian's phone"), max_length=30, required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {"division": VillageSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = filter_by_scope(Division.objects.at_level(Level.VILLAGE), user, "code")
        self.fields["division"].queryset = villages.select_related("parent")
        if not self.is_bound and not self.initial.get("division"):
            village = only_choice(villages)  # a room worker's own village
            if village is not None:
                self.initial["division"] = village.pk
        for name in Client.SENSITIVE_FIELDS:
            self.initial[name] = ""
            if self.instance.pk:
                self.fields[name].help_text = _("Leave blank to keep the recorded value.")
        if self.instance.pk:
            del self.fields["groups"]

    def service_data(self):
        data = {name: self.cleaned_data[name] for name in CLIENT_FIELDS}
        if self.instance.pk:
            data = without_blank_sensitive(data)
        data["disability_grade"] = data.get("disability_grade") or None
        return data


class RevealForm(BootstrapMixin, forms.Form):
    field = forms.ChoiceField(label=_("field"))
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            (name, Client._meta.get_field(name).verbose_name) for name in Client.SENSITIVE_FIELDS
        ]


class AlertForm(BootstrapMixin, forms.Form):
    action_taken = forms.CharField(label=_("action taken"), max_length=500)


class ConsentForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Consent
        fields = ["given_by", "relation", "purpose", "given_on"]


class HouseholdForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = HouseholdMember
        fields = ["name", "relation", "birth_year", "lives_with_client"]
