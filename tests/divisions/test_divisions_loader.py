"""load_divisions: the public china-division CSV format, any area code, all or nothing."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shegong.divisions.models import Division, Level
from shegong.divisions.services import BUNDLED_DIR, DivisionFileError, load_divisions

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path) -> Path:
    for name in ("provinces", "cities", "areas", "streets", "villages"):
        shutil.copy(BUNDLED_DIR / f"{name}.csv", tmp_path / f"{name}.csv")
    return tmp_path


def test_yubei_has_30_towns_and_412_villages():
    yubei = Division.objects.filter(code__startswith="500112")
    assert yubei.filter(level=Level.TOWN).count() == 30
    assert yubei.filter(level=Level.VILLAGE).count() == 412
    assert Division.objects.get(code="500112").parent_id == "5001"
    assert Division.objects.get(code="500112002001").parent_id == "500112002"


def test_second_load_is_idempotent():
    report = load_divisions(BUNDLED_DIR, "500112")
    assert (report.added, report.renamed, report.removed) == ([], [], [])
    assert report.total == 445


def test_another_district_loads_beside_yubei():
    report = load_divisions(BUNDLED_DIR, "500105")
    assert report.added and all(c.startswith("500105") for c in report.added)
    assert Division.objects.filter(code__startswith="500112", level=Level.VILLAGE).count() == 412


def test_rename_and_removal_are_reported(files):
    villages = files / "villages.csv"
    lines = villages.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("500112002002,")]
    kept = [
        line.replace("五星路社区居民委员会", "五星路新社区居民委员会")
        if line.startswith("500112002001,")
        else line
        for line in kept
    ]
    villages.write_text("\n".join(kept) + "\n", encoding="utf-8")
    report = load_divisions(files, "500112")
    assert report.renamed == [("500112002001", "五星路社区居民委员会", "五星路新社区居民委员会")]
    assert report.removed == ["500112002002"]
    assert not Division.objects.get(code="500112002002").is_active


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ('50011200200X,"坏代码",500112002,50,5001,500112', "12 digits"),
        ('500112002999,"",500112002,50,5001,500112', "name is empty"),
        ('500112002998,"错父级",500112004,50,5001,500112', "does not prefix"),
    ],
)
def test_malformed_file_is_refused_and_nothing_written(files, bad_line, message):
    with (files / "villages.csv").open("a", encoding="utf-8") as fh:
        fh.write(bad_line + "\n")
    # A valid rename earlier in the same file must not be written either.
    streets = files / "streets.csv"
    streets.write_text(
        streets.read_text(encoding="utf-8").replace("双龙湖街道", "改名街道"), encoding="utf-8"
    )
    before = Division.objects.count()
    with pytest.raises(DivisionFileError) as exc:
        load_divisions(files, "500112")
    assert any(message in error and "villages.csv:" in error for error in exc.value.errors)
    assert Division.objects.count() == before
    assert Division.objects.get(code="500112002").name == "双龙湖街道"


def test_wrong_header_is_refused(files):
    (files / "streets.csv").write_text("id,title\n500112002,x\n", encoding="utf-8")
    with pytest.raises(DivisionFileError, match="header"):
        load_divisions(files, "500112")


def test_command_reports_counts_and_errors(files, capsys):
    call_command("load_divisions", "500112", "--dir", str(files))
    assert "added 0, renamed 0, removed 0" in capsys.readouterr().out
    (files / "areas.csv").unlink()
    with pytest.raises(CommandError, match="areas.csv is missing"):
        call_command("load_divisions", "500112", "--dir", str(files))


def test_unknown_area_code_is_refused():
    with pytest.raises(DivisionFileError, match="not in the files"):
        load_divisions(BUNDLED_DIR, "500199")
