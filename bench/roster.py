"""The roster import (issue 3): a 100,000-row 低保 roster through ``import_roster``, next to
calamine + bulk_create of the same rows; each run in a fresh process (``python -m
bench.roster import figure|floor <path>``) so its peak memory is its own.
"""

import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.db import transaction

from .casework_data import BATCH, DISTRICT, SEED, Names, synthetic_id

ROSTER_ROWS = 100_000


def roster_file(rows=ROSTER_ROWS) -> Path:
    """A 100,000-row roster in the district's usual layout, written once. One row in ten
    names a person already registered (they gain the group instead)."""
    from openpyxl import Workbook

    from shegong.divisions.models import Division, Level

    var = Path(os.environ.get("SHEGONG_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
    path = var / f"bench-roster-{rows}.xlsx"
    if path.exists():
        return path
    rng = random.Random(SEED + 1)
    names = Names(rng)
    villages = list(
        Division.objects.filter(code__startswith=DISTRICT, level=Level.VILLAGE).values_list(
            "code", flat=True
        )
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("低保名册")
    ws.append(["姓名", "身份证号", "村（社区）区划代码", "服务对象类别", "认定日期", "来源"])
    for i in range(rows):
        number = synthetic_id(i) if i % 10 == 0 else synthetic_id(i, seq_base=500)
        ws.append(
            [
                names.person()[0],
                number,
                rng.choice(villages),
                "最低生活保障对象",
                "2023-03-01",
                "区民政局低保名册",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def import_once(kind: str, path: str) -> dict:
    """One import in this (fresh) process, rolled back: seconds and peak memory."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from shegong.access.models import User
    from shegong.clients.imports import import_roster, roster_columns
    from shegong.clients.models import Client, Membership, TargetGroup
    from shegong.common import imports

    actor = User.objects.get(username="bench-district")
    group = TargetGroup.objects.get(code="dibao")
    data = Path(path).read_bytes()
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    baseline = _rss_mb()
    started = time.perf_counter()
    with transaction.atomic(), connection.execute_wrapper(count):
        if kind == "figure":
            upload = SimpleUploadedFile(Path(path).name, data)
            if hasattr(imports, "open_rows"):  # the streaming reader (issue 10)
                rows = imports.open_rows(upload, roster_columns(), max_bytes=None)
            else:
                rows = imports.read_rows(
                    upload, roster_columns(), limit=imports.JOB_MAX_ROWS, max_bytes=None
                )
            report = import_roster(rows, actor=actor, dry_run=False)
            assert report.committed and report.created == report.total, report.errors[:5]
            n = report.total
        else:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            rows = sheet.to_python()[1:]
            made = Client.objects.bulk_create(
                [Client(name=r[0], name_initials="", division_id=str(r[2])) for r in rows],
                batch_size=BATCH,
            )
            Membership.objects.bulk_create(
                [Membership(client=c, group=group) for c in made], batch_size=BATCH
            )
            n = len(rows)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "rows": n,
        "peak_mb": peak,
        "baseline_mb": baseline,
        "queries": queries[0],
    }


def bench_import(runs: int, rows: int = ROSTER_ROWS, out=print) -> list[dict]:
    """Figure and floor alternate, each run in a fresh process so its peak memory is its
    own."""
    path = roster_file(rows)
    out(f"Roster file {path.name}: {path.stat().st_size / 2**20:.1f} MB, {rows:,} rows.")
    samples: dict[str, list[dict]] = {"figure": [], "floor": []}
    for i in range(runs):
        for kind in ("figure", "floor") if i % 2 == 0 else ("floor", "figure"):
            done = subprocess.run(
                [sys.executable, "-m", "bench.roster", "import", kind, str(path)],
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
                env=os.environ.copy(),
            )
            if done.returncode:
                raise RuntimeError(done.stderr[-3000:])
            samples[kind].append(json.loads(done.stdout.strip().splitlines()[-1]))
            out(f"  {kind}: {samples[kind][-1]['seconds']:.1f} s")
    return [samples["figure"], samples["floor"]]


def import_table(figure: list[dict], floor: list[dict]) -> str:
    def row(label, samples):
        seconds = statistics.median(s["seconds"] for s in samples)
        rows = samples[0]["rows"]
        peak = max(s["peak_mb"] for s in samples)
        grown = max(s["peak_mb"] - s["baseline_mb"] for s in samples)
        queries = samples[0].get("queries", "")
        return (
            seconds,
            f"| {label} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} "
            f"| {peak:.0f} | {grown:.0f} | {queries:,} |",
        )

    f_seconds, f_line = row(
        "import_roster (stream, check, encrypt, history, memberships, due dates)", figure
    )
    b_seconds, b_line = row("floor: calamine read + bulk_create of clients and memberships", floor)
    return "\n".join(
        [
            "| Roster import | Rows | Median s | Rows/s | Peak RSS MB | Grown MB | Queries |",
            "|---|---|---|---|---|---|---|",
            f_line,
            b_line,
            f"| ratio (figure ÷ floor) | | {f_seconds / b_seconds:.1f}× | | | | |",
        ]
    )


if __name__ == "__main__":
    # python -m bench.roster import figure|floor <path>: one measured import.
    from bench.database import setup_django

    setup_django()
    print(json.dumps(import_once(sys.argv[2], sys.argv[3])))
