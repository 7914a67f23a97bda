"""The upload page shared by every Excel import."""

from django.shortcuts import render


def import_page(
    request,
    *,
    title,
    columns,
    template_url,
    back_url,
    success,
    handle_row=None,
    run=None,
    job_kind=None,
):
    """The upload page every Excel import shares: check-only or all-or-nothing import.
    Rows go one by one through ``handle_row(values)``, or as a batch through
    ``run(rows, dry_run=…)``. ``success(count)`` gives the message after a committed import."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .forms import ImportForm
    from .imports import ImportFileError
    from .jobs import import_upload

    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report, job = import_upload(
                actor=request.user,
                upload=form.cleaned_data["file"],
                columns=columns,
                dry_run=form.cleaned_data["dry_run"],
                handle_row=handle_row,
                run=run,
                job_kind=job_kind,
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if job is not None:
                return redirect("import-job", pk=job.pk)
            if report.committed and not report.outcomes:
                messages.success(request, success(report.created))
                return redirect(back_url)
            if report.committed:
                # An import that says what its rows did (new people, known people who gained
                # a group…) shows that on its own result page.
                messages.success(request, success(report.created))
    failed = bool(form.errors) or (report is not None and not report.ok)
    context = {
        "form": form,
        "report": report,
        "title": title,
        "template_url": template_url,
        "back_url": back_url,
    }
    return render(request, "import.html", context, status=400 if failed else 200)
