from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import RiskTier
from shegong.common.autocomplete import WorkerSelect
from shegong.common.forms import BootstrapMixin

from .models import VisitMode


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


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
