from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.access.scoping import filter_by_scope
from shegong.common.autocomplete import WorkerSelect, use_search_widget
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.divisions.models import Division

from .models import LIFECYCLE, Agency, Facility, Unit, UnitStatus
from .services import AGENCY_FIELDS, DETAIL_FIELDS


class UnitForm(BootstrapMixin, ServiceValidatedForm):
    shared_facilities = forms.MultipleChoiceField(
        label=_("shares venue with"),
        choices=Facility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Unit
        fields = DETAIL_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The head field lists workers (the people app sits above this one: read the
        # related model through the field, not an import).
        workers = self.fields["head"].queryset.visible_to(user).filter(is_active=True)
        if self.instance.division_id:
            # A head comes from the unit's own area; keeps the list short on a phone.
            workers = workers.filter(division__code__startswith=self.instance.division_id)
        for name in ("head", "deputy_head"):
            self.fields[name].queryset = workers
            within = {"within": self.instance.division_id} if self.instance.division_id else {}
            use_search_widget(self.fields[name], WorkerSelect(params=within))


class UnitCreateForm(UnitForm):
    status = forms.ChoiceField(
        label=_("status"),
        choices=[(s.value, s.label) for s in LIFECYCLE],
        initial=UnitStatus.PLANNED,
    )

    class Meta(UnitForm.Meta):
        fields = [
            "kind",
            "division",
            "status",
            "planned_on",
            "established_on",
            "operating_on",
            *DETAIL_FIELDS,
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["division"].queryset = filter_by_scope(
            Division.objects.service_levels(), user, "code"
        )
        self.fields["division"].label_from_instance = lambda d: f"{d.code} {d.name}"


class TransitionForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("new status"))
    effective_on = forms.DateField(label=_("effective on"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(UnitStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed]


class AgencyForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Agency
        fields = AGENCY_FIELDS
