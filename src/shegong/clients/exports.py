from django.utils.translation import gettext as _

from shegong.common.idcard import mask_id_number, mask_phone


def client_headers():
    return [
        _("Full name"),
        _("Sex"),
        _("Birth month"),
        _("Village / community"),
        _("Resident ID number"),
        _("Phone"),
        _("Living situation"),
        _("Risk tier"),
        _("Target groups"),
        _("Last visited on"),
        _("Next visit due"),
    ]


def client_rows(clients):
    """Client register rows, masked: an export is a copy that leaves the system."""
    for c in clients:
        yield [
            c.name,
            c.get_sex_display(),
            c.birth_date.strftime("%Y-%m") if c.birth_date else "",
            c.division.name,
            mask_id_number(c.id_number) if c.id_number else "",
            mask_phone(c.phone or ""),
            c.get_living_situation_display(),
            c.get_risk_tier_display(),
            "、".join(m.group.name for m in c.memberships.all() if m.end_on is None),
            c.last_visited_on,
            c.next_visit_due,
        ]
