from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import RiskTier
from shegong.common.autocomplete import WorkerSelect
from shegong.common.forms import BootstrapMixin

from .models import VisitMode


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input (the phone's camera, or its gallery)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class VisitForm(BootstrapMixin, forms.Form):
    """Made for a phone: four taps and a sentence."""

    visited_on = forms.DateField(label=_("visited on"))
    mode = forms.ChoiceField(
        label=_("mode"),
        choices=VisitMode.choices,
        initial=VisitMode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(
        label=_("findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.CharField(label=_("needs found"), required=False, widget=forms.Textarea)
    risk_change = forms.ChoiceField(
        label=_("risk now"),
        required=False,
        choices=[("", _("unchanged")), *RiskTier.choices],
    )
    follow_up = forms.CharField(label=_("follow-up"), required=False)
    workers = forms.ModelMultipleChoiceField(
        label=_("workers who went"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = MultipleImageField(
        label=_("photos"),
        required=False,
        widget=MultipleImageInput(
            attrs={"accept": "image/*", "capture": "environment", "multiple": True}
        ),
    )
    record_location = forms.BooleanField(label=_("record my check-in location"), required=False)
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    location_accuracy = forms.FloatField(required=False, widget=forms.HiddenInput)
    # A signature pad's PNG as a data URL (``static/shegong/visit-evidence.js``).
    signature = forms.CharField(required=False, max_length=3_000_000, widget=forms.HiddenInput)

    def __init__(self, *args, client=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        from shegong.people.models import Worker

        from .selectors import workers_for_visit

        workers = workers_for_visit(user, client) if client is not None else Worker.objects.none()
        self.fields["workers"].queryset = workers
        own = [w.pk for w in workers if w.account_id and w.account_id == getattr(user, "pk", None)]
        self.fields["workers"].initial = own

    def clean_signature(self):
        from shegong.common.uploads import data_url_png

        return data_url_png(self.cleaned_data.get("signature", ""), field="signature")

    def clean(self):
        data = super().clean()
        # What the service takes: the photos as a list, the location only if chosen.
        data["photos"] = data.get("photos") or []
        if not data.get("record_location"):
            data["latitude"] = data["longitude"] = data["location_accuracy"] = None
        return data


class DueWorkerFilter(forms.Form):
    """The due list's worker filter: a searchable select showing only the chosen worker."""

    worker = forms.ModelChoiceField(
        label=_("worker"),
        queryset=None,
        required=False,
        widget=WorkerSelect(
            attrs={
                "class": "form-select",
                "aria-label": _("worker"),
                "data-placeholder": _("All workers"),
            }
        ),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers


class VisitCorrectionForm(BootstrapMixin, forms.Form):
    """Correcting a visit: what was recorded, not the client or the evidence. Carries the
    version it showed (``common.forms.submit_form`` refuses a stale one)."""

    visited_on = forms.DateField(label=_("visited on"))
    mode = forms.ChoiceField(label=_("mode"), choices=VisitMode.choices, widget=forms.RadioSelect)
    workers = forms.ModelMultipleChoiceField(
        label=_("workers who went"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(
        label=_("findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs = forms.CharField(label=_("needs found"), required=False, widget=forms.Textarea)
    follow_up = forms.CharField(label=_("follow-up"), required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)

    def __init__(self, *args, instance, client, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import workers_for_visit

        self.instance = instance  # the versioned record being corrected
        chosen = [w.pk for w in instance.workers.all()]
        from shegong.people.models import Worker

        posted = workers_for_visit(user, client).values("pk")
        self.fields["workers"].queryset = Worker.objects.filter(
            Q(pk__in=posted) | Q(pk__in=chosen)
        ).order_by("name")
