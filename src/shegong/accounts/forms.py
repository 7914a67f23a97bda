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


class OwnPasswordForm(BootstrapMixin, forms.Form):
    """Self-service change: the current password, then the new one twice."""

    old_password = forms.CharField(
        label=_("current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("new password, again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth.password_validation import password_validators_help_texts

        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = " ".join(password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class OtpForm(BootstrapMixin, forms.Form):
    otp = forms.CharField(
        label=_("verification code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
    )
