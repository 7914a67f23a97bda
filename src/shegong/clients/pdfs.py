"""The dossier PDF (一人一档): the client's identity, masked as the page masks it, the
household, and every section of the person's file (``dossier``), newest first."""

from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.common.idcard import mask_id_number, mask_phone
from shegong.common.pdf import Document

from . import dossier

# Rows per section in the PDF; a longer section says how many are left out.
PDF_CAP = 200


def identity_rows(client) -> list[tuple[str, str]]:
    """The client's identity as every page and PDF shows it: ID number and phones masked."""
    disability = ""
    if client.disability_category:
        disability = f"{client.get_disability_category_display()} {client.disability_grade or ''}"
    guardian = ""
    if client.guardian_name:
        guardian = " · ".join(
            filter(
                None,
                [
                    client.guardian_name,
                    client.guardian_relation,
                    mask_phone(client.guardian_phone or ""),
                ],
            )
        )
    return [
        (_("Full name"), client.name),
        (_("Sex"), client.get_sex_display()),
        (_("Birth date"), f"{client.birth_date:%Y-%m}" if client.birth_date else ""),
        (
            _("Resident ID number"),
            mask_id_number(client.id_number) if client.id_number else client.id_missing_reason,
        ),
        (_("Phone"), mask_phone(client.phone or "")),
        (_("Village / community"), client.division.name),
        (_("Address"), client.address),
        (_("Living situation"), client.get_living_situation_display()),
        (_("Disability"), disability),
        (_("Risk tier"), client.get_risk_tier_display()),
        (_("Guardian"), guardian),
    ]


def dossier_pdf(user, client) -> bytes:
    doc = Document(
        _("Client file"),
        author=user.get_full_name() or user.get_username(),
        subtitle=f"{client.name} · {client.division.name} · {timezone.localdate():%Y-%m-%d}",
    )
    doc.heading(_("Basic information"))
    rows = identity_rows(client)
    if client.next_visit_due:
        rows.append((_("Next visit due"), f"{client.next_visit_due:%Y-%m-%d}"))
    doc.fields(rows)
    doc.heading(_("Household"))
    doc.table(
        [_("Full name"), _("Relation"), _("Birth year"), _("Lives with the client")],
        [
            [m.name, m.relation, m.birth_year or "", _("yes") if m.lives_with_client else _("no")]
            for m in client.household.all()
        ],
        widths=(30, 25, 20, 25),
    )
    for section in dossier.sections(user, client, cap=PDF_CAP):
        doc.heading(section.label)
        doc.table(
            [_("Date"), _("Record"), _("Status"), _("Details")],
            [
                [f"{e.on:%Y-%m-%d}" if e.on else "", e.title, e.badge, e.detail]
                for e in section.entries
            ],
            widths=(16, 34, 14, 36),
        )
        if section.has_more:
            doc.paragraph(
                _("Only the newest %(n)s are listed; the platform holds the rest.")
                % {"n": PDF_CAP},
                muted=True,
            )
    doc.signatures([_("Prepared by (social worker)"), _("Checked by (supervisor)")])
    return doc.output()
