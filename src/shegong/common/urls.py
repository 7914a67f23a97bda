"""Route helpers for the apps' urls.py."""

from django.urls import path

# The conventional routes of one kind of object: (path under its prefix, name suffix). The
# view of each is named after the object: ``unit_list``, ``unit_import_template`` …
CONVENTIONAL = {
    "list": "",
    "create": "new/",
    "import": "import/",
    "import-template": "import/template.xlsx",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/edit/",
}


def object_routes(prefix, noun, views, *routes):
    """The named conventional ``routes`` of ``noun`` under ``prefix``: route "detail" of
    noun "unit" is ``<prefix><int:pk>/``, named "unit-detail", served by
    ``views.unit_detail``."""
    return [
        path(
            prefix + CONVENTIONAL[route],
            getattr(views, f"{noun}_{route.replace('-', '_')}"),
            name=f"{noun}-{route}",
        )
        for route in routes
    ]
