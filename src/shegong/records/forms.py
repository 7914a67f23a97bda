from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.access.scoping import unit_ids
from shegong.clients.selectors import clients_for
from shegong.common.autocomplete import (
    ClientSelectMultiple,
    DependentCheckboxSelectMultiple,
    UnitSelect,
    WorkerSelectMultiple,
    only_choice,
)
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.network.models import Unit
from shegong.people.models import Worker
from shegong.people.selectors import worker_of

from .models import Attachment, ServiceItem, ServiceRecord
from .services import CORRECTABLE_FIELDS, RECORD_FIELDS

# A record entered by hand; an activity's sessions are recorded from the activity.
FIELDS = [name for name in RECORD_FIELDS if name != "activity"]


class ServiceRecordForm(BootstrapMixin, ServiceValidatedForm):
    """Fits a phone: clients, workers and unit are searched, not listed; the items shown
    are those of the chosen field; the optional parts fold away (``record_form.html``)."""

    # Shown folded under "more" unless they hold a value or an error.
    OPTIONAL = ["other_participants", "case", "project", "outcome"]

    class Meta:
        model = ServiceRecord
        fields = FIELDS
        widgets = {
            "unit": UnitSelect,
            "clients": ClientSelectMultiple,
            "workers": WorkerSelectMultiple,
            "items": DependentCheckboxSelectMultiple(parent_of=lambda item: item.field_id),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).live()
        self.fields["unit"].queryset = units
        self.fields["clients"].queryset = clients_for(user)
        self.fields["workers"].queryset = Worker.objects.visible_to(user).filter(is_active=True)
        self.fields["items"].queryset = ServiceItem.objects.filter(is_active=True)
        # Cases and projects live in apps above this one: their choices come through the
        # relation, narrowed by the owning app's own queryset rules.
        cases = self.fields["case"].queryset
        self.fields["case"].queryset = cases.visible_to(user).taking_services()
        projects = self.fields["project"].queryset
        self.fields["project"].queryset = projects.visible_to(user).delivering()
        self.fields["served_on"].initial = timezone.localdate()
        self.fields["duration_minutes"].initial = 60
        if not self.is_bound:
            self._preselect(user, units)

    def _preselect(self, user, units):
        """The user's only unit (the one they hold a role on, or the only one they see)
        and the worker linked to their account, unless the page already chose."""
        if not self.initial.get("unit"):
            unit = only_choice(units.filter(pk__in=unit_ids(user))) or only_choice(units)
            if unit is not None:
                self.initial["unit"] = unit.pk
        worker = worker_of(user)
        if not self.initial.get("workers") and worker is not None:
            if self.fields["workers"].queryset.filter(pk=worker.pk).exists():
                self.initial["workers"] = [worker.pk]

    # What record_form.html lays out by name; any other visible field follows them.
    LAID_OUT = {*OPTIONAL, "unit", "served_on", "duration_minutes", "method", "field", "items"}
    LAID_OUT |= {"clients", "workers", "notes"}

    def other_fields(self):
        return [f for f in self.visible_fields() if f.name not in self.LAID_OUT]

    def optional_open(self) -> bool:
        """Unfold the optional part when it holds something: an error or a value."""
        for name in self.OPTIONAL:
            bound = self[name]
            if bound.errors or bound.value() not in (None, "", 0, "0", [], ()):
                return True
        return False


class AttachmentForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Attachment
        fields = ["file", "kind"]


class LedgerFilter(BootstrapMixin, forms.Form):
    start = forms.DateField(label=_("from"), required=False)
    end = forms.DateField(label=_("to"), required=False)


class ServiceRecordCorrectionForm(BootstrapMixin, ServiceValidatedForm):
    """Correcting a service record: what was given, not where (unit), nor the case or the
    project (a record in the wrong one is voided and recorded again). Carries the version
    it showed."""

    class Meta:
        model = ServiceRecord
        fields = CORRECTABLE_FIELDS
        widgets = {
            "items": forms.CheckboxSelectMultiple,
            "clients": ClientSelectMultiple,
            "workers": WorkerSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients_for(user)
        self.fields["workers"].queryset = Worker.objects.visible_to(user)
        self.fields["items"].queryset = ServiceItem.objects.filter(is_active=True).select_related(
            "field"
        )
        self.fields["items"].label_from_instance = lambda i: f"{i.field.name}·{i.name}"
