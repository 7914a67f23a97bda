"""Searchable selects for lists that do not fit in a page (a district's clients, workers,
units and villages).

A form field keeps its scoped queryset (which is what validates a posted id: an id outside
it is an error on that field); its widget renders only the options already chosen and, in
the browser, Tom Select (npm, served by whitenoise; ``static/shegong/search-select.js``)
finds the others as one types, asking a scoped choices endpoint of the owning app
(``/api/v1/<resource>/choices/?q=…``, a :class:`ChoicesView`). Use the widgets by name:

    self.fields["clients"].widget = ClientSelectMultiple()
    self.fields["unit"].widget = UnitSelect()
"""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

# How many options an endpoint returns: enough to pick from, few enough for a phone.
CHOICES_LIMIT = 20


def person_text(obj) -> str:
    """A client or worker as a choice: the name and the village (or town) they belong to."""
    return f"{obj.name} · {obj.division.name}"


def unit_text(obj) -> str:
    return obj.name


def village_text(obj) -> str:
    parent = obj.parent.name if obj.parent_id else ""
    return f"{obj.name} · {parent}" if parent else obj.name


class SearchSelectMixin:
    """Renders the chosen options only, and tells the script where to search."""

    url_name = ""
    placeholder = _("Type to search")

    def __init__(self, attrs=None, *, url_name=None, url=None, params=None):
        super().__init__(attrs)
        if url_name:
            self.url_name = url_name
        self.url = url  # an endpoint of one object's (``/api/v1/projects/7/unit-choices/``)
        # Fixed filters the endpoint applies (e.g. ``{"within": "500112002"}``).
        self.params = dict(params or {})

    def text(self, obj) -> str:
        return str(obj)

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-search-url"] = self.url or reverse(self.url_name)
        if self.params:
            attrs["data-search-params"] = urlencode(self.params)
        attrs.setdefault("data-placeholder", str(self.placeholder))
        attrs["data-no-results"] = str(_("Nothing found"))
        attrs["data-loading"] = str(_("Searching…"))
        attrs["data-more"] = str(_("More match: type more to narrow the list"))
        return attrs

    def chosen(self, value) -> list[str]:
        # Primary keys are numbers (or, for divisions, digit codes); anything else a post
        # carried is no choice at all and is left to the field's validation.
        return [str(v) for v in value if v not in (None, "") and str(v).isdigit()]

    def optgroups(self, name, value, attrs=None):
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not self.chosen(value), 0))
        chosen = self.chosen(value)
        if chosen:
            for obj in self.choices.queryset.filter(pk__in=chosen):
                index = len(options)
                options.append(self.create_option(name, obj.pk, self.text(obj), True, index))
        return [(None, options, 0)]


class SearchSelect(SearchSelectMixin, forms.Select):
    pass


class SearchSelectMultiple(SearchSelectMixin, forms.SelectMultiple):
    pass


class ClientSelect(SearchSelect):
    url_name = "api:client-choices"
    placeholder = _("Name, pinyin initials (zsf) or village")

    def text(self, obj):
        return person_text(obj)


class ClientSelectMultiple(SearchSelectMultiple):
    url_name = ClientSelect.url_name
    placeholder = ClientSelect.placeholder

    def text(self, obj):
        return person_text(obj)


class WorkerSelect(SearchSelect):
    url_name = "api:worker-choices"
    placeholder = _("Name or village")

    def text(self, obj):
        return person_text(obj)


class WorkerSelectMultiple(SearchSelectMultiple):
    url_name = WorkerSelect.url_name
    placeholder = WorkerSelect.placeholder

    def text(self, obj):
        return person_text(obj)


class UnitSelect(SearchSelect):
    url_name = "api:unit-choices"
    placeholder = _("Unit or place name")

    def text(self, obj):
        return unit_text(obj)


class UnitSelectMultiple(SearchSelectMultiple):
    url_name = UnitSelect.url_name
    placeholder = UnitSelect.placeholder

    def text(self, obj):
        return unit_text(obj)


class VillageSelect(SearchSelect):
    url_name = "api:village-choices"
    placeholder = _("Village or community name")

    def text(self, obj):
        return village_text(obj)


def only_choice(queryset):
    """The one object of ``queryset``, or None when it holds none or several: what a form
    preselects (a room worker's only unit, only village)."""
    first_two = list(queryset[:2])
    return first_two[0] if len(first_two) == 1 else None


# ---- the endpoints -------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The value a form or API field takes.")
    text = serializers.CharField(help_text="What the choice shows (name and place).")


class ChoicesSerializer(serializers.Serializer):
    results = ChoiceSerializer(many=True)
    more = serializers.BooleanField(
        help_text=f"More than {CHOICES_LIMIT} match: type more to narrow the search."
    )


class ChoicesQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    within = serializers.RegexField(
        r"^\d{6,12}$", required=False, allow_blank=True, default="", max_length=12
    )


Q_PARAMETER = OpenApiParameter(
    "q", str, description="What was typed (a name, pinyin initials or a place name)."
)
WITHIN_PARAMETER = OpenApiParameter(
    "within", str, description="Only those under this division code (6, 9 or 12 digits)."
)


class ChoicesView(APIView):
    """A searchable select's options: at most ``CHOICES_LIMIT``, all within the user's
    scope (``search`` goes through the owning app's selector). Session auth serves the
    pages; a token serves the API."""

    text = staticmethod(str)

    def search(self, user, q: str, within: str):
        raise NotImplementedError

    @extend_schema(parameters=[Q_PARAMETER, WITHIN_PARAMETER], responses=ChoicesSerializer)
    def get(self, request, **kwargs):
        query = ChoicesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q, within = query.validated_data["q"].strip(), query.validated_data["within"]
        rows = list(self.search(request.user, q, within)[: CHOICES_LIMIT + 1])
        results = [{"id": str(obj.pk), "text": self.text(obj)} for obj in rows[:CHOICES_LIMIT]]
        return Response({"results": results, "more": len(rows) > CHOICES_LIMIT})


class DependentCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes that belong to the value of another select (service items of a field):
    each box carries ``data-parent``, and the script shows only those of the chosen
    value. The form still checks the pair."""

    def __init__(self, attrs=None, *, parent_of):
        super().__init__(attrs)
        self.parent_of = parent_of

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-parent"] = str(self.parent_of(instance))
        return option


def use_search_widget(field, widget):
    """Put a searchable select on a field a form has already built (after BootstrapMixin
    styled it): the widget takes the field's required flag, class and choices."""
    widget.is_required = field.required
    widget.attrs.setdefault("class", "form-select")
    field.widget = widget
    widget.choices = field.choices
    return widget
