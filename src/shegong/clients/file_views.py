"""The person's file (一人一档) pages: the timeline on the client's page, one section in
full, and the dossier PDF. What each app contributes comes from ``dossier``'s registry."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.audit.services import export_logged
from shegong.common.pdf import FontMissing, font_missing_response, pdf_response

from . import dossier, selectors
from .pdfs import dossier_pdf


def file_context(user, client) -> dict:
    """The client page's timeline, its sections (capped) and the actions allowed now."""
    sections = dossier.sections(user, client)
    return {
        "file_sections": sections,
        "timeline": dossier.timeline(sections),
        "actions": dossier.actions(user, client),
        "can_edit_client": can_edit_clients(user),
    }


@require_GET
@scoped_page
def client_file_section(request, pk, section):
    """One section of the file in full, newest first, 50 a page."""
    client = selectors.client_get(request.user, pk)
    kind = dossier.section_type(section)
    if kind is None:
        raise Http404
    page = Paginator(kind.rows(request.user, client), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/client_file_section.html",
        {
            "client": client,
            "section": kind,
            "page": page,
            "entries": [kind.entry(row) for row in page],
        },
    )


@require_GET
@scoped_page
def client_dossier_pdf(request, pk):
    """The dossier as a PDF, masked as the page is; every generation is in the access log."""
    client = selectors.client_get(request.user, pk)
    try:
        content = dossier_pdf(request.user, client)
    except FontMissing as missing:
        return font_missing_response(missing)
    export_logged(
        user=request.user,
        object_type="client",
        object_id=str(client.pk),
        rows=1,
        fields=_("client file PDF (masked)"),
    )
    return pdf_response(content, f"{_('Client file')}_{client.pk}.pdf")
