from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.clients.selectors import clients_for
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.network.models import Unit
from shegong.people.models import Worker

from .models import Attachment, ServiceItem, ServiceRecord
from .services import RECORD_FIELDS

# A record entered by hand; an activity's sessions are recorded from the activity.
FIELDS = [name for name in RECORD_FIELDS if name != "activity"]


class ServiceRecordForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = ServiceRecord
        fields = FIELDS
        widgets = {
            "items": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).live().order_by("division_id")
        self.fields["clients"].queryset = clients_for(user)
        self.fields["workers"].queryset = Worker.objects.visible_to(user).filter(is_active=True)
        self.fields["items"].queryset = ServiceItem.objects.filter(is_active=True).select_related(
            "field"
        )
        self.fields["items"].label_from_instance = lambda i: f"{i.field.name}·{i.name}"
        # Cases and projects live in apps above this one: their choices come through the
        # relation, narrowed by the owning app's own queryset rules.
        cases = self.fields["case"].queryset
        self.fields["case"].queryset = cases.visible_to(user).taking_services()
        projects = self.fields["project"].queryset
        self.fields["project"].queryset = projects.visible_to(user).delivering()
        self.fields["served_on"].initial = timezone.localdate()
        self.fields["duration_minutes"].initial = 60


class AttachmentForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Attachment
        fields = ["file", "kind"]


class LedgerFilter(BootstrapMixin, forms.Form):
    start = forms.DateField(label=_("from"), required=False)
    end = forms.DateField(label=_("to"), required=False)
