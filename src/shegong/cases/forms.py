from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.divisions.codes import town_of
from shegong.network.models import Unit, UnitKind
from shegong.records.models import ServiceField, ServiceItem

from .models import Case, ClosureReason, Source
from .selectors import eligible_case_workers
from .services import CASE_OPEN_FIELDS


class CaseOpenForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Case
        fields = CASE_OPEN_FIELDS
        widgets = {
            "presenting_problem": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, client, **kwargs):
        super().__init__(*args, **kwargs)
        # The client's room and station, as far as the user may act for them.
        own = list(
            Unit.objects.visible_to(user)
            .live()
            .filter(kind__in=[UnitKind.ROOM, UnitKind.STATION])
            .filter(division__code__in=[client.division_id, town_of(client.division_id)])
        )
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in own])
        self.fields["unit"].empty_label = None
        self.fields["case_worker"].queryset = eligible_case_workers(own).visible_to(user)
        self.fields["opened_on"].initial = timezone.localdate()
        self.fields["source"].initial = Source.VISIT  # most cases start on a home visit


class AssessForm(BootstrapMixin, forms.Form):
    needs = forms.ModelMultipleChoiceField(
        label=_("needs"),
        queryset=ServiceField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    risk_tier = forms.ChoiceField(label=_("risk tier"))
    assessment = forms.CharField(label=_("assessment"), widget=forms.Textarea(attrs={"rows": 3}))
    assessed_on = forms.DateField(label=_("assessed on"))

    def __init__(self, *args, **kwargs):
        from shegong.clients.models import RiskTier

        super().__init__(*args, **kwargs)
        self.fields["risk_tier"].choices = RiskTier.choices
        self.fields["assessed_on"].initial = timezone.localdate()


class PlanForm(BootstrapMixin, forms.Form):
    goals = forms.CharField(
        label=_("goals (one per line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    plan = forms.CharField(
        label=_("plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    planned_items = forms.ModelMultipleChoiceField(
        label=_("planned services"),
        queryset=ServiceItem.objects.filter(is_active=True).select_related("field"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_on = forms.DateField(label=_("review date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_items"].label_from_instance = lambda i: f"{i.field.name}·{i.name}"

    def service_data(self):
        data = dict(self.cleaned_data)
        data["goals"] = data["goals"].splitlines()
        return data


class EvaluateForm(BootstrapMixin, forms.Form):
    evaluation = forms.CharField(label=_("evaluation"), widget=forms.Textarea(attrs={"rows": 3}))
    evaluated_on = forms.DateField(label=_("evaluated on"))
    goals_met = forms.MultipleChoiceField(
        label=_("goals met"), required=False, widget=forms.CheckboxSelectMultiple
    )
    satisfaction = forms.TypedChoiceField(
        label=_("client satisfaction (1–5)"),
        choices=[("", "---------")] + [(i, str(i)) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals_met"].choices = [(str(g.pk), g.text) for g in case.goals.all()]
        self.fields["evaluated_on"].initial = timezone.localdate()

    def service_data(self):
        data = dict(self.cleaned_data)
        data["goals_met"] = {int(pk) for pk in data["goals_met"]}
        return data


class ClosureForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(label=_("closure reason"), choices=ClosureReason.choices)
    note = forms.CharField(label=_("closure note"), required=False, widget=forms.Textarea)


class DecisionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class CaseFilter(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(label=_("stage"), required=False)
    q = forms.CharField(label=_("client name"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        from .models import Stage

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("all open cases")), *Stage.choices]


class ReassignForm(BootstrapMixin, forms.Form):
    case_worker = forms.ModelChoiceField(label=_("case worker"), queryset=None)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_worker"].queryset = eligible_case_workers([case.unit]).order_by("name")
        self.fields["case_worker"].initial = case.case_worker_id
