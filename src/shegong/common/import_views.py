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

    from . import jobs
    from .forms import ImportForm
    from .imports import JOB_MAX_ROWS, JOB_MAX_UPLOAD_BYTES, ImportFileError, read_rows, run_import

    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limits = {"limit": JOB_MAX_ROWS, "max_bytes": JOB_MAX_UPLOAD_BYTES} if job_kind else {}
        try:
            rows = read_rows(upload, columns, **limits)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if job_kind and len(rows) > jobs.INLINE_ROWS:
                upload.seek(0)
                job = jobs.import_job_start(
                    actor=request.user,
                    kind=job_kind,
                    upload=upload,
                    dry_run=form.cleaned_data["dry_run"],
                    total=len(rows),
                )
                return redirect("import-job", pk=job.pk)
            dry_run = form.cleaned_data["dry_run"]
            if run is not None:
                report = run(rows, dry_run=dry_run)
            else:
                report = run_import(rows, handle_row, columns, dry_run=dry_run)
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
