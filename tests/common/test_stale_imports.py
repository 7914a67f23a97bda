"""Finding 15: a queued import's upload (ID numbers in clear) stayed on disk for ever when
the worker never ran. After SHEGONG_IMPORT_MAX_WAIT_HOURS the file is deleted and the job
failed with a message: by ``manage.py purge_stale_imports``, by every new upload and by the
worker before it imports."""

import datetime
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from shegong.clients.models import Client
from shegong.common import jobs
from shegong.common.models import ImportJob
from tests.clients.test_roster_import import post, roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(world, client, settings, monkeypatch, tmp_path):
    """Background imports from 6 rows, queued in the database, files under tmp_path."""
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(jobs, "INLINE_ROWS", 5)
    client.force_login(world.users.station_a)
    return tmp_path


def upload(client, n=8):
    post(client, roster(n))
    return ImportJob.objects.latest("pk")


def age(job, hours):
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def stored(queue):
    return sorted(p.name for p in (queue / "imports").iterdir())


def test_a_queued_upload_is_deleted_after_a_day_and_the_job_says_why(
    client, queue, django_capture_on_commit_callbacks
):
    job = upload(client)
    assert job.status == "queued" and len(stored(queue)) == 1
    # While it waits, only the server's user may read it (finding 15's 0644 files).
    assert (queue / job.file_name).stat().st_mode & 0o777 == 0o600
    assert (queue / "imports").stat().st_mode & 0o777 == 0o700
    age(job, 23)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.purge_stale_imports() == 0
    assert ImportJob.objects.get(pk=job.pk).status == "queued" and len(stored(queue)) == 1
    age(job, 25)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.purge_stale_imports() == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.language == "zh-hans"  # in the uploader's language
    assert "24 小时" in job.message and "重新上传" in job.message
    assert stored(queue) == []
    page = client.get(f"/imports/{job.pk}/")
    assert page.status_code == 200


def test_the_wait_is_a_setting(client, queue, settings, django_capture_on_commit_callbacks):
    settings.SHEGONG_IMPORT_MAX_WAIT_HOURS = 2
    job = upload(client)
    age(job, 3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_stale_imports", verbosity=0)
    assert ImportJob.objects.get(pk=job.pk).status == "failed" and stored(queue) == []


def test_the_command_cancels_a_job_a_dead_worker_left_running(
    client, queue, django_capture_on_commit_callbacks
):
    job = upload(client)
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    age(job, 30)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_stale_imports", verbosity=0)
    assert ImportJob.objects.get(pk=job.pk).status == "failed" and stored(queue) == []


def test_a_new_upload_purges_the_stale_ones(client, queue, django_capture_on_commit_callbacks):
    stale = upload(client)
    age(stale, 48)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = upload(client)
    assert ImportJob.objects.get(pk=stale.pk).status == "failed"
    assert ImportJob.objects.get(pk=fresh.pk).status == "queued"
    assert stored(queue) == [os.path.basename(fresh.file_name)]


def test_the_worker_purges_before_it_imports_and_skips_a_stale_job(
    client, queue, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    job = upload(client)
    age(job, 25)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ImportJob.objects.get(pk=job.pk).status == "failed"
    assert Client.objects.count() == 0 and stored(queue) == []


def test_an_old_upload_no_job_names_is_deleted(queue):
    (queue / "imports").mkdir()
    old, new = queue / "imports" / "old.xlsx", queue / "imports" / "new.xlsx"
    for path in (old, new):
        path.write_bytes(b"500112194001010022")
    long_ago = (timezone.now() - datetime.timedelta(days=3)).timestamp()
    os.utime(old, (long_ago, long_ago))
    jobs.purge_stale_imports()
    assert stored(queue) == ["new.xlsx"]
