import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.access.querysets import ScopedQuerySet
from shegong.common.crypto import EncryptedTextField
from shegong.common.fields import actor_link, belongs_to, creation_time, link, optional_link
from shegong.common.models import Versioned, WithHistory
from shegong.people.models import Gender


class TargetGroup(models.Model):
    """A target group of R3.0 (seeded) or one a district or funding source defines."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    is_builtin = models.BooleanField(_("built in"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    # The names rosters use for the group (低保, 五保户…): what an import accepts besides the
    # name and code. The one alias table, kept with the groups and edited in the admin.
    aliases = models.CharField(
        _("other names"),
        max_length=300,
        blank=True,
        help_text=_("Other names rosters use for this group, separated by 、 or commas."),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in re.split(r"[、,，;；\n]", self.aliases) if a.strip()]


class LivingSituation(models.TextChoices):
    ALONE = "alone", _("living alone")
    EMPTY_NEST = "empty_nest", _("empty-nest")
    LEFT_BEHIND = "left_behind", _("left-behind")
    WITH_FAMILY = "with_family", _("with family")
    INSTITUTION = "institution", _("in an institution")


class RiskTier(models.TextChoices):
    HIGH = "high", _("high risk")
    KEY = "key", _("key")
    GENERAL = "general", _("general")


class DisabilityCategory(models.TextChoices):
    """GB/T 26341-2010 categories."""

    VISUAL = "visual", _("visual")
    HEARING = "hearing", _("hearing")
    SPEECH = "speech", _("speech")
    PHYSICAL = "physical", _("physical")
    INTELLECTUAL = "intellectual", _("intellectual")
    MENTAL = "mental", _("mental")
    MULTIPLE = "multiple", _("multiple")


class Client(Versioned):
    """A service recipient. Always hangs off a village code: no village, no record."""

    history_division = "division__code"

    SENSITIVE_FIELDS = ("id_number", "phone", "health_notes", "guardian_phone")

    name = models.CharField(_("full name"), max_length=50)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, db_index=True)
    division = link("divisions.Division", _("village / community"), related_name="clients")
    address = models.CharField(_("address"), max_length=200, blank=True)
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    id_missing_reason = models.CharField(_("reason for no ID number"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Gender.choices, blank=True)
    phone = EncryptedTextField(_("phone"))
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    living_situation = models.CharField(
        _("living situation"), max_length=16, choices=LivingSituation.choices, blank=True
    )
    disability_category = models.CharField(
        _("disability category"), max_length=16, choices=DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True, choices=[(i, str(i)) for i in range(1, 5)]
    )
    health_notes = EncryptedTextField(_("health notes"))
    risk_tier = models.CharField(
        _("risk tier"), max_length=16, choices=RiskTier.choices, default=RiskTier.GENERAL
    )
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=30, blank=True)
    guardian_phone = EncryptedTextField(_("guardian's phone"))
    created_at = creation_time(_("registered at"))
    # Kept by the visits services; indexed for the due and overdue lists.
    last_visited_on = models.DateField(_("last visited on"), null=True, blank=True)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True, db_index=True)
    # A duplicate merged into another record stays, with its history, but leaves the lists.
    merged_into = optional_link("self", _("merged into"), related_name="merged")
    history = HistoricalRecords(
        excluded_fields=["id_number_hash", "phone_hash", "last_visited_on", "next_visit_due"]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["division_id", "name", "id"]  # the id makes pages stable
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["name", "birth_date"]),
            # The list's scope (a code range, divisions.codes.code_prefix_q) and its order:
            # a page is read from the index, LIMIT 50, whatever the size of the register.
            models.Index(fields=["division", "name", "id"], name="client_list_order"),
            # The due and overdue lists' order, most overdue first.
            models.Index(fields=["next_visit_due", "division", "id"], name="client_due_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("clients:client-detail", args=[self.pk])


class Membership(WithHistory):
    """A client's membership of a target group, dated, with where it came from."""

    history_division = "client__division__code"

    client = belongs_to(Client, _("client"), related_name="memberships")
    group = link(TargetGroup, _("target group"), related_name="memberships")
    start_on = models.DateField(_("start date"), null=True, blank=True)
    end_on = models.DateField(_("end date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["group__order", "start_on"]
        verbose_name = _("target-group membership")
        verbose_name_plural = _("target-group memberships")

    def __str__(self):
        return f"{self.client} · {self.group}"


class ConsentRelation(models.TextChoices):
    """Who gave a consent, for the client. PIPL art. 31: for a child under 14 only a
    parent or another guardian may consent (``GUARDIANS``)."""

    SELF = "self", _("the client (self)")
    PARENT = "parent", _("father or mother")
    GUARDIAN = "guardian", _("other legal guardian")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("son or daughter")
    RELATIVE = "relative", _("other close relative")
    AGENT = "agent", _("authorised agent")
    OTHER = "other", _("other")


GUARDIANS = (ConsentRelation.PARENT, ConsentRelation.GUARDIAN)


class Consent(WithHistory):
    """Consent to process the client's information (PIPL art. 14, 31)."""

    history_division = "client__division__code"

    client = belongs_to(Client, _("client"), related_name="consents")
    given_by = models.CharField(_("given by"), max_length=50)
    relation = models.CharField(
        _("relation to the client"), max_length=30, choices=ConsentRelation.choices
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    given_on = models.DateField(_("given on"))

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.client} · {self.purpose}"


class ScopedByClientQuerySet(ScopedQuerySet):
    """Records of a client (alerts, visits, cases, referrals): seen where the client is."""

    scope_field = "client__division__code"


class RiskAlertQuerySet(ScopedByClientQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class AlertReview(models.TextChoices):
    """A crisis-word alert waits for the station supervisor to confirm or dismiss it."""

    PENDING = "pending", _("awaiting review")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class RiskAlert(WithHistory):
    """A client marked high risk (crisis, R3.2) stays on the station's and the centre's
    alert list until someone records the action taken."""

    history_division = "client__division__code"

    client = belongs_to(Client, _("client"), related_name="alerts")
    reason = models.CharField(_("reason"), max_length=200)
    raised_at = creation_time(_("raised at"))
    raised_by = actor_link(_("raised by"), optional=True, on_delete=models.SET_NULL)
    action_taken = models.TextField(_("action taken"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)
    resolved_by = actor_link(_("resolved by"), optional=True, on_delete=models.SET_NULL)
    # Raised from crisis words in a record's text (the words, never the text itself).
    crisis_words = models.CharField(_("crisis words"), max_length=100, blank=True)
    review = models.CharField(
        _("review"), max_length=10, choices=AlertReview.choices, blank=True, db_index=True
    )
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    reviewed_by = actor_link(_("reviewed by"), optional=True, on_delete=models.SET_NULL)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = RiskAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("risk alert")
        verbose_name_plural = _("risk alerts")

    def __str__(self):
        return f"{self.client} · {self.reason}"


class HouseholdMember(WithHistory):
    """Someone in the client's household (no ID number or phone: not needed for the work)."""

    history_division = "client__division__code"

    client = belongs_to(Client, _("client"), related_name="household")
    name = models.CharField(_("full name"), max_length=50)
    relation = models.CharField(_("relation to the client"), max_length=30)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    lives_with_client = models.BooleanField(_("lives with the client"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self):
        return f"{self.name} ({self.relation})"


class VisitPolicy(WithHistory):
    """How often clients must be visited. A client follows the strictest policy matching
    its risk tier or any of its current target groups (REQUIREMENTS, visit frequency tiers:
    high risk weekly, key monthly, general quarterly). Edited by the district."""

    history_division = "history_user__division__code"  # no division of its own: the changer's

    risk_tier = models.CharField(
        _("risk tier"),
        max_length=16,
        choices=RiskTier.choices,
        blank=True,
        help_text=_("Empty: any risk tier."),
    )
    group = models.ForeignKey(
        TargetGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("target group"),
        help_text=_("Empty: any target group."),
    )
    interval = models.PositiveSmallIntegerField(_("interval"))
    working_days = models.BooleanField(
        _("count working days"),
        default=False,
        help_text=_("Count the interval in working days (public holidays skipped)."),
    )

    class Meta:
        verbose_name = _("visit policy")
        verbose_name_plural = _("visit policies")

    def __str__(self):
        unit = _("working days") if self.working_days else _("days")
        who = self.get_risk_tier_display() or (self.group.name if self.group else _("all"))
        return f"{who}: {self.interval} {unit}"
