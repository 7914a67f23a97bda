"""The case file PDF (MZ/T 094 records), masked as the page is and written to the access log."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shegong.access.decorators import scoped_page
from shegong.audit.services import export_logged
from shegong.common.pdf import FontMissing, font_missing_response, pdf_response

from . import selectors
from .pdfs import case_file_pdf


@require_GET
@scoped_page
def case_file(request, pk):
    case = selectors.case_get(request.user, pk)
    try:
        content = case_file_pdf(request.user, case)
    except FontMissing as missing:
        return font_missing_response(missing)
    export_logged(
        user=request.user,
        object_type="case",
        object_id=str(case.pk),
        rows=1,
        fields=_("case file PDF (masked)"),
    )
    return pdf_response(content, f"{_('Case file')}_{case.number}.pdf")
