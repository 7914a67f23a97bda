from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.access.models import Role, User
from shegong.clients.models import TargetGroup
from shegong.common.autocomplete import UnitSelectMultiple, use_search_widget
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.network.models import Agency, UnitKind
from shegong.records.models import ServiceField

from .models import EvaluationKind, FundingSource, ProcurementMethod, Project
from .services import REGISTERED_FIELDS

# Instalment schemes a contract usually follows (share %, payable after).
SCHEMES = {
    "40-30-30": [(40, ""), (30, "mid"), (30, "final")],
    "30-40-30": [(30, ""), (40, "mid"), (30, "final")],
    "50-50": [(50, ""), (50, "final")],
    "100": [(100, "")],
}
SCHEME_CHOICES = [
    ("40-30-30", _("40% on signing, 30% after the mid-term, 30% after the final evaluation")),
    ("30-40-30", _("30% on signing, 40% after the mid-term, 30% after the final evaluation")),
    ("50-50", _("50% on signing, 50% after the final evaluation")),
    ("100", _("All on signing")),
]


class ProjectForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Project
        fields = REGISTERED_FIELDS

    def __init__(self, *args, user, **kwargs):
        from .selectors import purchasers_for

        super().__init__(*args, **kwargs)
        self.fields["purchaser"].queryset = purchasers_for(user)
        self.fields["funding_source"].choices = FundingSource.choices


class ProcureForm(BootstrapMixin, forms.Form):
    method = forms.ChoiceField(label=_("procurement method"), choices=ProcurementMethod.choices)
    started_on = forms.DateField(label=_("procurement announced on"))


class AwardForm(BootstrapMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("winning agency"), queryset=Agency.objects.all())
    awarded_on = forms.DateField(label=_("awarded on"))


def _number(value) -> str:
    return f"{value.normalize():f}"


class TargetFields:
    """A target and a weight per indicator of the district's library (``target_<id>``,
    ``weight_<id>``, the keys the services' errors use); an empty target leaves the
    indicator out. Each target field shows its indicator's range; the service checks it."""

    def add_target_fields(self, project):
        from .models import IndicatorTemplate

        current = {pi.template_id: pi for pi in project.indicators.all()}
        self.templates = list(IndicatorTemplate.objects.all())
        for template in self.templates:
            chosen = current.get(template.pk)
            low, high = template.target_min, template.target_max
            attrs = {
                "class": "form-control form-control-sm",
                "min": _number(low),
                "step": "1" if template.whole_number else "0.01",
            }
            if high is not None:
                attrs["max"] = _number(high)
            self.fields[f"target_{template.pk}"] = forms.DecimalField(
                label=f"{template.name}（{template.unit_label}）",
                required=False,
                max_digits=10,
                decimal_places=2,
                initial=chosen.target if chosen else None,
                widget=forms.NumberInput(attrs=attrs),
                help_text=(
                    f"{_number(low)}–{_number(high)}"
                    if high is not None
                    else _("from %(low)s") % {"low": _number(low)}
                ),
            )
            self.fields[f"weight_{template.pk}"] = forms.DecimalField(
                label=_("weight"),
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=chosen.weight if chosen else template.default_weight,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )

    def target_field_names(self) -> set[str]:
        return {f"{kind}_{t.pk}" for t in self.templates for kind in ("target", "weight")}

    @property
    def target_names(self) -> set[str]:
        """For the template: which fields go in the targets grid (not ``target_groups``)."""
        return self.target_field_names()

    def posted_targets(self) -> dict:
        targets = {}
        for template in self.templates:
            target = self.cleaned_data.get(f"target_{template.pk}")
            if target is not None:
                weight = self.cleaned_data.get(f"weight_{template.pk}") or template.default_weight
                targets[template] = (target, weight)
        return targets


class ContractForm(TargetFields, BootstrapMixin, forms.Form):
    contract_number = forms.CharField(label=_("contract number"), max_length=50)
    contract_amount = forms.DecimalField(
        label=_("contract amount (yuan)"), max_digits=12, decimal_places=2, min_value=0
    )
    start_on = forms.DateField(label=_("service period from"))
    end_on = forms.DateField(label=_("service period to"))
    units = forms.ModelMultipleChoiceField(label=_("covered units"), queryset=None)
    fields = forms.ModelMultipleChoiceField(
        label=_("service fields"),
        queryset=ServiceField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    full_time_per_station = forms.IntegerField(
        label=_("full-time social workers committed at each covered station"),
        min_value=0,
        max_value=20,
        initial=1,
    )
    scheme = forms.ChoiceField(label=_("instalments"), choices=SCHEME_CHOICES)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from django.urls import reverse

        from .api.choices import coverable_units

        self.fields["units"].queryset = coverable_units(project)
        url = reverse("api:project-unit-choices", args=[project.pk])
        use_search_widget(self.fields["units"], UnitSelectMultiple(url=url))
        self.add_target_fields(project)

    def service_data(self):
        targets = self.posted_targets()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.target_field_names()}
        data["targets"] = targets
        per_station = data.pop("full_time_per_station")
        data["commitments"] = [
            (u, per_station) for u in data["units"] if u.kind == UnitKind.STATION and per_station
        ]
        data["instalments"] = [(s, a, None) for s, a in SCHEMES[data.pop("scheme")]]
        return data


class ReportForm(BootstrapMixin, forms.Form):
    month = forms.DateField(label=_("month"))
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label=_("problems and next steps"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = timezone.localdate().replace(day=1)


class AssignForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EvaluationKind.choices)
    evaluator = forms.ModelChoiceField(label=_("evaluator"), queryset=None)
    evaluator_body = forms.CharField(label=_("evaluating body"), max_length=100)
    termination_reason = forms.CharField(
        label=_("reason for ending early"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for a final evaluation before the service period ends."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = User.objects.filter(
            is_active=True, grants__role=Role.EVALUATOR
        ).distinct()


class PayForm(BootstrapMixin, forms.Form):
    paid_on = forms.DateField(label=_("paid on"))
    amount = forms.DecimalField(
        label=_("amount (yuan; empty: all that is payable)"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )

    override_reason = forms.CharField(
        label=_("reason for paying although delivery lags"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class CloseForm(BootstrapMixin, forms.Form):
    closed_on = forms.DateField(label=_("closed on"))
    termination_reason = forms.CharField(
        label=_("reason for ending early"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the project closes before its service period ends."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class RespondForm(BootstrapMixin, forms.Form):
    response = forms.CharField(
        label=_("the agency's response"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    """A file the evaluator uploads; the service checks its type, content and size."""

    file = forms.FileField(
        allow_empty_file=True, error_messages={"required": _("Choose a file to upload.")}
    )


class IndicatorsForm(TargetFields, BootstrapMixin, forms.Form):
    """One target and weight per indicator of the library; an empty target leaves it out."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_target_fields(project)

    def service_data(self):
        return {"targets": self.posted_targets()}
