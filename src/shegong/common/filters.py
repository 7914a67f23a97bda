"""List filters shared by the selectors."""


def filter_given(queryset, **lookups):
    """``queryset`` narrowed by each lookup whose value was given: a blank filter on a list
    page or an API query means "any"."""
    given = {lookup: value for lookup, value in lookups.items() if value not in (None, "")}
    return queryset.filter(**given) if given else queryset
