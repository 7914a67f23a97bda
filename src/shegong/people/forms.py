from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.access.scoping import filter_by_scope
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.divisions.models import Division
from shegong.network.models import Unit

from .models import Certificate, Worker, WorkerRole
from .services import WORKER_FIELDS


class WorkerForm(BootstrapMixin, ServiceValidatedForm):
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=WorkerRole.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Worker
        fields = WORKER_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = filter_by_scope(
            Division.objects.service_levels(), user, "code"
        )
        self.fields["division"].label_from_instance = lambda d: f"{d.code} {d.name}"


class CertificateForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Certificate
        fields = ["tier", "number", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class AssignmentForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    start_on = forms.DateField(label=_("start date"))
    end_on = forms.DateField(label=_("end date"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).live().order_by("division_id")


class EndAssignmentForm(BootstrapMixin, forms.Form):
    end_on = forms.DateField(label=_("end date"))
