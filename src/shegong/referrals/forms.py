from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.divisions.codes import covers, district_of
from shegong.network.models import Unit

from .models import ExternalKind, Referral
from .services import REFERRAL_FIELDS, is_adjacent


class ReferralForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = Referral
        fields = REFERRAL_FIELDS
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, client, **kwargs):
        super().__init__(*args, **kwargs)
        own = Unit.objects.live().filter(grants__user=user).distinct()
        own = [u for u in own if covers(u.division_id, client.division_id)]
        self.fields["from_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in own])
        targets = [
            u.pk
            for u in Unit.objects.live().filter(
                division__code__startswith=district_of(client.division_id)
            )
            if any(is_adjacent(o, u) for o in own) and covers(u.division_id, client.division_id)
        ]
        self.fields["to_unit"].queryset = Unit.objects.filter(pk__in=targets).order_by(
            "division_id"
        )
        self.fields["to_unit"].required = False
        self.fields["external_kind"].choices = [("", "---------"), *ExternalKind.choices]
        self.fields["from_unit"].empty_label = None


class DecisionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("note"), max_length=200, required=False)
