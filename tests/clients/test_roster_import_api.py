"""The roster import through the API takes the same steps as the page (common.jobs.import_upload):
small files inline (200 / 400), large ones as a background job (202), a bad file a 400."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from shegong.clients.models import Client
from shegong.common.models import ImportJob
from tests.clients.test_roster_import import HEADER, roster, small_inline_limit  # noqa: F401
from tests.network.test_unit_import import workbook

pytestmark = pytest.mark.django_db


def upload(world, rows, dry_run=False):
    api = APIClient()
    api.force_authenticate(world.users.station_a)
    return api.post(
        "/api/v1/clients/import/",
        {"file": workbook(rows, header=HEADER), "dry_run": dry_run},
        format="multipart",
    )


def test_a_small_roster_is_imported_at_once(world, small_inline_limit):  # noqa: F811
    response = upload(world, roster(4))
    assert response.status_code == 200
    assert (response.json()["created"], Client.objects.count()) == (4, 4)
    assert not ImportJob.objects.exists()


def test_a_large_roster_becomes_a_job_like_on_the_page(world, small_inline_limit):  # noqa: F811
    response = upload(world, roster(12))
    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert response.json()["id"] == job.pk and job.total == 12


def test_a_file_that_is_not_a_workbook_is_a_400_on_the_file(world):
    api = APIClient()
    api.force_authenticate(world.users.station_a)
    bad = SimpleUploadedFile("roster.txt", b"not a workbook")
    response = api.post("/api/v1/clients/import/", {"file": bad}, format="multipart")
    assert response.status_code == 400 and "file" in str(response.json())
