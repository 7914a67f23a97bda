from django.shortcuts import render
from django.utils import timezone

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_view_coverage
from shegong.network.coverage import coverage_report
from shegong.network.selectors import unit_counts
from shegong.people.selectors import workers_for


@scoped_page
def home(request):
    context = {
        "counts": unit_counts(request.user),
        "workers": workers_for(request.user).filter(is_active=True).count(),
    }
    if can_view_coverage(request.user):
        context["coverage"] = coverage_report(request.user, timezone.localdate())
    return render(request, "home.html", context)


def file_download(field_file):
    """A stored file as a download, for views that have already checked the user may see
    the record it belongs to (files are never served as public media)."""
    from django.http import FileResponse

    name = field_file.name.rsplit("/", 1)[-1]
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
