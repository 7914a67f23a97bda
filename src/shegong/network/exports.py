"""Excel exports of the network's reports (openpyxl)."""

from django.utils.translation import gettext as _


def unit_rows(units):
    """The units register as spreadsheet rows (headers: ``UNIT_HEADERS``)."""
    yes, no = _("yes"), _("no")
    for u in units:
        yield [
            u.division_id,
            u.division.name,
            u.name,
            u.get_kind_display(),
            u.get_status_display(),
            u.planned_on,
            u.established_on,
            u.operating_on,
            u.demonstration_on,
            u.closed_on,
            u.get_operating_mode_display(),
            u.agency.name if u.agency else "",
            u.head.name if u.head else "",
            u.address,
            u.phone,
            u.opening_hours,
            float(u.floor_area) if u.floor_area is not None else None,
            yes if u.has_casework_room else no,
            yes if u.has_group_room else no,
            "、".join(str(label) for label in u.shared_facility_labels()),
        ]


def unit_headers():
    return [
        _("Code"),
        _("Division"),
        _("Name"),
        _("Kind"),
        _("Status"),
        _("planned on"),
        _("established on"),
        _("operating since"),
        _("demonstration since"),
        _("closed on"),
        _("Operating mode"),
        _("operating agency"),
        _("head"),
        _("address"),
        _("phone"),
        _("opening hours"),
        _("floor area (m²)"),
        _("casework consultation room"),
        _("group activity room"),
        _("shares venue with"),
    ]
