from django.utils.translation import gettext as _


def worker_headers():
    return [
        _("Name"),
        _("Gender"),
        _("Division code"),
        _("Division"),
        _("Roles"),
        _("Employment"),
        _("Employer"),
        _("Certificates"),
        _("Current postings"),
        _("active"),
    ]


def worker_rows(workers):
    """Workers as spreadsheet rows; expects certificates and assignments__unit prefetched."""
    yes, no = _("yes"), _("no")
    for w in workers:
        certificates = "；".join(
            f"{c.get_tier_display()} {c.number} ({c.year})" for c in w.certificates.all()
        )
        postings = "；".join(a.unit.name for a in w.assignments.all() if a.end_on is None)
        yield [
            w.name,
            w.get_gender_display(),
            w.division_id,
            w.division.name,
            "、".join(str(r) for r in w.role_labels()),
            w.get_employment_display(),
            w.employer,
            certificates,
            postings,
            yes if w.is_active else no,
        ]
