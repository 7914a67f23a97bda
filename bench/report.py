"""Reporting: the results table, the machine line and the section of docs/benchmarks.md."""

import datetime
import os
import platform
import re
import subprocess
from pathlib import Path

from .database import ROOT, pg_setting
from .timing import Result

DOCS = ROOT / "docs" / "benchmarks.md"


def table(results: list[Result]) -> str:
    head = (
        "| Benchmark | Figure | Median ms | p95 ms | Queries | Floor | Median ms | p95 ms "
        "| Queries | Ratio |"
    )
    lines = [head, "|" + "---|" * 10]
    for r in results:
        f, b = r.figure, r.floor
        lines.append(
            f"| {r.name} | {f.label} | {f.median:.1f} | {f.p95:.1f} | {f.queries} "
            f"| {b.label} | {b.median:.1f} | {b.p95:.1f} | {b.queries} | {r.ratio:.1f}× |"
        )
    return "\n".join(lines)


def machine() -> dict[str, str]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
        elif connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            db = connection.vendor
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    if connection.vendor == "postgresql":
        db += f" (jit={pg_setting('jit')})"
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load average unknown"
    return {
        "load": load,
        "db": db,
        "vendor": connection.vendor,
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": commit,
    }


def record(results, info, counts_line, runs_line, extra="", group=None) -> None:
    """Replace this vendor's section (a partial run, ``--only``, has a section of its own)."""
    today = datetime.date.today().isoformat()
    write_section(
        info["vendor"] + (f":{group}" if group else ""),
        [
            f"### {info['db']}{f' — {group} only' if group else ''} — {today}",
            "",
            f"- Machine: {info['cpus']} CPUs ({info['cpu']}), {info['os']}, "
            f"Python {info['python']}, Django {info['django']}, commit {info['commit']}; "
            f"{info['load']} at the end of the run",
            f"- Data: {counts_line}",
            f"- Runs: {runs_line}",
            *(["", table(results)] if results else []),
            *(["", extra] if extra else []),
        ],
    )


def write_section(tag: str, lines: list[str]) -> None:
    """Replace the section marked ``<!-- bench:<tag> -->`` of docs/benchmarks.md with
    ``lines`` (or append it)."""
    start, end = f"<!-- bench:{tag} -->", f"<!-- /bench:{tag} -->"
    section = "\n".join([start, *lines, end])
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n\n## Results\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text)
    print(f"Recorded in {DOCS.relative_to(ROOT)}.")
