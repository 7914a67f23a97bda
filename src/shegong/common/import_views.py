"""The upload page shared by every Excel import."""

from django.shortcuts import render


def import_page(request, *, title, columns, handle_row, template_url, back_url, success):
    """The upload page every Excel import shares: check-only or all-or-nothing import.
    ``success(count)`` gives the message shown after a committed import."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .forms import ImportForm
    from .imports import ImportFileError, read_rows, run_import

    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"], columns)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            report = run_import(rows, handle_row, columns, dry_run=form.cleaned_data["dry_run"])
            if report.committed:
                messages.success(request, success(report.created))
                return redirect(back_url)
    failed = bool(form.errors) or (report is not None and not report.ok)
    context = {
        "form": form,
        "report": report,
        "title": title,
        "template_url": template_url,
        "back_url": back_url,
    }
    return render(request, "import.html", context, status=400 if failed else 200)
