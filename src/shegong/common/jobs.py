"""Large Excel imports as background jobs (Django's task framework, ARCHITECTURE).

The page reads the upload once to count its rows; a file too big to import while the
user waits is kept in storage, an ``ImportJob`` records it, and a task runs the same
all-or-nothing import in the worker, publishing its progress through the cache."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .imports import (
    JOB_MAX_ROWS,
    JOB_MAX_UPLOAD_BYTES,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    ImportReport,
    check_row_limit,
    importer_for,
    open_rows,
    run_import,
)
from .models import ImportJob

log = logging.getLogger(__name__)

# Files with more rows than this are imported in the background.
INLINE_ROWS = 2_000
# Where a background import's upload waits for the worker.
UPLOAD_DIR = "imports"
MAX_STORED_ERRORS = 10_000


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def progress_of(job: ImportJob) -> tuple[int, int]:
    if job.is_done:
        return job.total, job.total
    return cache.get(_progress_key(job.pk), (0, job.total))


def import_upload(
    *, actor, upload, columns, dry_run: bool, handle_row=None, run=None, job_kind=None
) -> tuple[ImportReport | None, ImportJob | None]:
    """What every import door (the upload page, the ``…/import/`` endpoint) does with a file:
    read its rows, then send a file of more than INLINE_ROWS rows to a background job when
    the import has a ``job_kind``, or else import it now — row by row through
    ``handle_row(values)`` or as a batch through ``run(rows, dry_run=…)``.

    Returns ``(report, None)`` or ``(None, job)``; raises ImportFileError when the file as a
    whole cannot be imported. With a ``job_kind`` a file may be as large as a job takes.
    The rows are counted without keeping them; a batch import reads them as a stream."""
    limits = {"limit": JOB_MAX_ROWS, "max_bytes": JOB_MAX_UPLOAD_BYTES} if job_kind else {}
    rows = open_rows(upload, columns, max_bytes=limits.get("max_bytes", MAX_UPLOAD_BYTES))
    total = len(rows)
    check_row_limit(total, limits.get("limit", MAX_ROWS))
    if job_kind and total > INLINE_ROWS:
        upload.seek(0)
        job = import_job_start(
            actor=actor, kind=job_kind, upload=upload, dry_run=dry_run, total=total
        )
        return None, job
    if run is not None:
        return run(rows, dry_run=dry_run), None
    return run_import(rows.as_list(), handle_row, columns, dry_run=dry_run), None


def stale_after() -> datetime.timedelta:
    """How long an upload may wait for the worker (SHEGONG_IMPORT_MAX_WAIT_HOURS, 24)."""
    return datetime.timedelta(hours=getattr(settings, "SHEGONG_IMPORT_MAX_WAIT_HOURS", 24))


def purge_stale_imports(now=None) -> int:
    """Uploads hold ID numbers in clear: one the worker never took (queued, or taken by a
    worker that died) longer than ``stale_after()`` ago is deleted and its job marked
    failed with a message saying so; an upload no unfinished job names (a start rolled
    back after the file was stored) goes too. Run by ``manage.py purge_stale_imports``,
    by the worker before each import and on every new upload. Returns the jobs failed."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    hours = int(stale_after().total_seconds() // 3600)
    failed = 0
    unfinished = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    for pk in ImportJob.objects.filter(status__in=unfinished, created_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(pk=pk).first()
            if job is None or job.status not in unfinished:
                continue  # finished meanwhile
            with translation.override(job.language):
                job.message = _(
                    "The import waited more than %(hours)d hours for the background worker "
                    "and was cancelled; its file was deleted and nothing was imported. "
                    "Upload it again."
                ) % {"hours": hours}
            job.status, job.finished_at = ImportJob.Status.FAILED, now
            job.save(update_fields=["status", "message", "finished_at"])
            name = job.file_name
            transaction.on_commit(lambda name=name: _delete_upload(name))
            failed += 1
    _delete_orphans(cutoff)
    return failed


def _delete_upload(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def _delete_orphans(cutoff) -> None:
    """Files under imports/ older than ``cutoff`` that no unfinished job names."""
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    waiting = set(
        ImportJob.objects.filter(
            status__in=(ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
        ).values_list("file_name", flat=True)
    )
    for file in files:
        name = f"{UPLOAD_DIR}/{file}"
        try:
            old = default_storage.get_modified_time(name) < cutoff
        except (FileNotFoundError, NotImplementedError):
            continue
        if old and name not in waiting:
            default_storage.delete(name)


@transaction.atomic
def import_job_start(*, actor, kind: str, upload, dry_run: bool, total: int) -> ImportJob:
    transaction.on_commit(purge_stale_imports, robust=True)  # no upload outlives its wait
    stored = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}.xlsx", upload)
    job = ImportJob.objects.create(
        kind=kind,
        file_name=stored,
        original_name=upload.name[:200],
        dry_run=dry_run,
        total=total,
        language=translation.get_language() or "zh-hans",
        created_by=actor,
    )
    # The task row commits with the job row (database backend), so no worker sees one
    # without the other.
    run_import_job.enqueue(job.pk)
    return job


@task()
def run_import_job(job_id: int) -> None:
    purge_stale_imports()  # a worker that was down first clears what waited too long
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return  # already taken (a worker restarted mid-job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    columns_for = importer_for(job.kind)
    columns, run = columns_for(job.created_by)

    def progress(done, total):
        cache.set(_progress_key(job.pk), (done, total), timeout=3600)

    with translation.override(job.language):
        try:
            with default_storage.open(job.file_name, "rb") as handle:
                rows = open_rows(File(handle, name=job.original_name), columns, max_bytes=None)
                rows.expected = job.total
                report = run(rows, dry_run=job.dry_run, progress=progress)
        except ImportFileError as exc:
            job.status, job.message = ImportJob.Status.FAILED, str(exc)[:300]
        except Exception:
            # Never the row's content in the log: it holds ID numbers.
            log.exception("import job %s failed", job.pk)
            job.status = ImportJob.Status.FAILED
            job.message = _("The import stopped on an unexpected error; nothing was written.")
        else:
            job.total, job.created = report.total, report.created
            job.error_count = len(report.errors)
            job.errors = [[e.row, e.field, e.message] for e in report.errors[:MAX_STORED_ERRORS]]
            job.outcomes = [[o.key, o.label, o.count] for o in report.outcomes]
            job.examples = report.examples
            job.status = ImportJob.Status.SUCCEEDED if report.ok else ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    job.save()
    default_storage.delete(job.file_name)
    cache.delete(_progress_key(job.pk))
