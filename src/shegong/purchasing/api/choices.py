"""The units a project's contract may cover, for the contract form's searchable select:
the live stations and rooms of the project's area, asked of a project the user may see
(a purchaser sees no unit register, but does see its own projects)."""

from django.db.models import Q

from shegong.common.autocomplete import ChoicesView, unit_text
from shegong.network.models import Unit, UnitKind

from ..selectors import project_get


def coverable_units(project):
    """The units a contract for ``project`` may cover (the contract form's choices)."""
    return (
        Unit.objects.live()
        .filter(division__code__startswith=project.division_id)
        .exclude(kind=UnitKind.CENTER)
        .select_related("division")
        .order_by("division_id")
    )


class ProjectUnitChoices(ChoicesView):
    """Stations and rooms a contract of this project may cover, by name or place, at most
    20 (404 for a project you may not see)."""

    text = staticmethod(unit_text)

    def search(self, user, q, within):
        units = coverable_units(project_get(user, self.kwargs["pk"]))
        if within:
            units = units.filter(division__code__startswith=within)
        if q:
            units = units.filter(Q(name__icontains=q) | Q(division__name__icontains=q))
        return units
