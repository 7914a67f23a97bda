from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.access.scoping import unit_ids
from shegong.clients.selectors import clients_for
from shegong.common.autocomplete import (
    ClientSelectMultiple,
    UnitSelect,
    WorkerSelect,
    only_choice,
    use_search_widget,
)
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.network.models import Unit
from shegong.people.models import Worker
from shegong.people.selectors import worker_of

from .models import Activity, GoalsMet
from .services import ACTIVITY_FIELDS


class ActivityForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Activity
        fields = ACTIVITY_FIELDS
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "plan": forms.Textarea(attrs={"rows": 3}),
            "unit": UnitSelect,
            "leader": WorkerSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).live()
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = Worker.objects.visible_to(user).filter(is_active=True)
        self.fields["start_on"].initial = timezone.localdate()
        if not self.is_bound and not self.instance.pk:
            # The user's only unit, and the user as the leader, unless chosen already.
            unit = only_choice(units.filter(pk__in=unit_ids(user))) or only_choice(units)
            if unit is not None and not self.initial.get("unit"):
                self.initial["unit"] = unit.pk
            me = worker_of(user)
            leaders = self.fields["leader"].queryset
            if me is not None and not self.initial.get("leader"):
                if leaders.filter(pk=me.pk).exists():
                    self.initial["leader"] = me.pk


class MembersForm(BootstrapMixin, forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("members"), queryset=None, widget=ClientSelectMultiple
    )

    def __init__(self, *args, activity, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].widget.params = {"within": activity.unit.division_id}
        self.fields["members"].queryset = (
            clients_for(user)
            .filter(division__code__startswith=activity.unit.division_id)
            .exclude(pk__in=activity.members.all())
        )


class SessionForm(BootstrapMixin, forms.Form):
    served_on = forms.DateField(label=_("held on"))
    duration_minutes = forms.IntegerField(label=_("duration (minutes)"), min_value=1)
    clients = forms.ModelMultipleChoiceField(
        label=_("registered participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.IntegerField(
        label=_("other residents taking part"), min_value=0, initial=0
    )
    notes = forms.CharField(label=_("theme and content"), required=False, widget=forms.Textarea)
    outcome = forms.CharField(label=_("outcome"), required=False, widget=forms.Textarea)

    def __init__(self, *args, activity, user, **kwargs):
        super().__init__(*args, **kwargs)
        clients = clients_for(user).filter(division__code__startswith=activity.unit.division_id)
        if activity.kind == "group":
            clients = clients.filter(pk__in=activity.members.all())
        else:  # a community activity may be large: search the unit's area
            use_search_widget(
                self.fields["clients"],
                ClientSelectMultiple(params={"within": activity.unit.division_id}),
            )
        self.fields["clients"].queryset = clients
        self.fields["served_on"].initial = timezone.localdate()
        self.fields["duration_minutes"].initial = 90


class EvaluationForm(BootstrapMixin, forms.Form):
    evaluation = forms.CharField(label=_("evaluation"), widget=forms.Textarea(attrs={"rows": 3}))
    evaluated_on = forms.DateField(label=_("evaluated on"))
    goals_met = forms.ChoiceField(label=_("goals met"), choices=GoalsMet.choices)
    satisfaction = forms.DecimalField(
        label=_("average satisfaction (1–5)"),
        required=False,
        max_digits=3,
        decimal_places=2,
        min_value=1,
        max_value=5,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluated_on"].initial = timezone.localdate()


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=200)
