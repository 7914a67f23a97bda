from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.access import scoping
from shegong.access.models import Role, User
from shegong.common.forms import BootstrapMixin, ServiceValidatedForm
from shegong.divisions.models import Division
from shegong.network.models import Agency, Unit


class AccountForm(BootstrapMixin, ServiceValidatedForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "division", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].required = True
        self.fields["division"].queryset = scoping.filter_by_scope(
            Division.objects.service_levels(),
            user,
            "code",
            scoping.ACCOUNTS,
        )
        self.fields["division"].label_from_instance = lambda d: f"{d.code} {d.name}"


class AccountCreateForm(AccountForm):
    username = forms.RegexField(
        label=_("username"),
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        max_length=30,
        help_text=_("3–30 letters, digits, dot, dash or underscore."),
    )
    password = forms.CharField(
        label=_("initial password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Leave empty to generate one."),
    )

    class Meta(AccountForm.Meta):
        fields = ["username", "display_name", "email", "division"]


class GrantForm(BootstrapMixin, forms.Form):
    # No default: a slip of the thumb must not grant the district administrator role.
    role = forms.ChoiceField(label=_("role"), choices=[("", "---------"), *Role.choices])
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    agency = forms.ModelChoiceField(
        label=_("agency"), queryset=Agency.objects.all(), required=False
    )
    purchaser = forms.ModelChoiceField(
        label=_("purchasing department"), queryset=None, required=False
    )

    def __init__(self, *args, user, **kwargs):
        from shegong.purchasing.models import Purchaser

        super().__init__(*args, **kwargs)
        self.fields["purchaser"].queryset = Purchaser.objects.visible_to(user, scoping.ACCOUNTS)
        self.fields["unit"].queryset = scoping.filter_by_scope(
            Unit.objects.live().order_by("division_id"),
            user,
            "division__code",
            scoping.ACCOUNTS,
        )


class PasswordForm(BootstrapMixin, forms.Form):
    password = forms.CharField(label=_("new password"), widget=forms.PasswordInput)
