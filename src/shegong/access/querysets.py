"""The scoped queryset every domain model uses: the one door to ``scoping``."""

from django.db import models

from .scoping import filter_by_scope


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which column holds its division code.

    ``visible_to(user)`` is the one place where "what may this user see" is decided; every
    list, detail, export, report and endpoint calls it (see ``scoping``).
    """

    scope_field = "division__code"

    def visible_to(self, user, purpose: str = "data"):
        return filter_by_scope(self, user, self.scope_field, purpose)

    def within(self, prefix: str):
        return self.filter(**{f"{self.scope_field}__startswith": prefix})
