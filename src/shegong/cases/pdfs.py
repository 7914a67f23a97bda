"""The case file PDF after the MZ/T 094-2017 case records: intake, assessment, plan,
interventions, evaluation and closure, the steps taken, and signature blocks for the
case worker, the supervisor and the client (or guardian). Identity masked as on the page."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shegong.clients.pdfs import identity_rows
from shegong.common.pdf import Document

from .models import Stage


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def case_file_pdf(user, case) -> bytes:
    doc = Document(
        _("Social work case file"),
        author=user.get_full_name() or user.get_username(),
        subtitle=f"{_('Case')} {case.number} · {case.unit.name} · {case.get_stage_display()}",
    )
    doc.fields(
        [
            (_("Case number"), case.number),
            (_("Unit"), case.unit.name),
            (_("Case worker"), case.case_worker.name),
            (_("Supervisor"), str(case.supervisor or "")),
            (_("Stage"), case.get_stage_display()),
        ]
    )
    doc.heading(_("Client"))
    doc.fields(identity_rows(case.client))

    doc.heading(_("1. Intake"))
    doc.fields(
        [
            (_("Opened on"), _day(case.opened_on)),
            (_("Source"), case.get_source_display()),
            (_("Presenting problem"), case.presenting_problem),
        ]
    )
    doc.heading(_("2. Assessment"))
    doc.fields(
        [
            (_("Assessed on"), _day(case.assessed_on)),
            (_("Areas of need"), "、".join(n.name for n in case.needs.all())),
            (_("Risk tier"), case.get_risk_tier_display() if case.risk_tier else ""),
            (_("Assessment"), case.assessment),
        ]
    )
    doc.heading(_("3. Service plan"))
    goals = list(case.goals.all())
    doc.fields(
        [
            (_("Goals"), "\n".join(f"{i}. {g.text}" for i, g in enumerate(goals, 1))),
            (_("Planned services"), "、".join(i.name for i in case.planned_items.all())),
            (_("Plan"), case.plan),
            (_("Review date"), _day(case.review_on)),
        ]
    )
    doc.heading(_("4. Interventions"))
    records = case.service_records.select_related("field").order_by("served_on", "id")
    doc.table(
        [_("Date"), _("Method"), _("Field"), _("Minutes"), _("Outcome")],
        [
            [
                _day(r.served_on),
                r.get_method_display(),
                r.field.name,
                r.duration_minutes,
                r.outcome or r.notes,
            ]
            for r in records
        ],
        widths=(16, 14, 18, 10, 42),
    )
    doc.heading(_("5. Evaluation"))
    met = {True: pgettext("goal", "met"), False: pgettext("goal", "not met"), None: _("not judged")}
    doc.fields(
        [
            (_("Evaluated on"), _day(case.evaluated_on)),
            (_("Goals"), "\n".join(f"{g.text}：{met[g.met]}" for g in goals)),
            (_("Client satisfaction (1–5)"), case.satisfaction or ""),
            (_("Evaluation"), case.evaluation),
        ]
    )
    doc.heading(_("6. Closure"))
    doc.fields(
        [
            (_("Closure reason"), case.get_closure_reason_display() if case.closure_reason else ""),
            (_("Closure note"), case.closure_note),
            (_("Closure requested by"), str(case.closure_requested_by or "")),
            (_("Closure approved by"), str(case.closed_by or "")),
            (_("Closed on"), _day(case.closed_on) if case.stage == Stage.CLOSED else ""),
        ]
    )
    doc.heading(_("Steps taken"))
    doc.table(
        [_("Date"), _("Step"), _("By"), _("Note")],
        [
            [_day(e.on), e.get_kind_display(), str(e.actor or ""), e.note]
            for e in case.events.select_related("actor")
        ],
        widths=(16, 26, 18, 40),
    )
    doc.signatures(
        [_("Case worker"), _("Supervisor"), _("Client (or guardian)")],
    )
    return doc.output()
