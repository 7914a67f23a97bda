"""Benchmarks: the coverage report over all of Chongqing and the scoped units API, each
next to a floor measured in the same run (see docs/benchmarks.md).

    make bench                                   # SQLite, var/bench.sqlite3
    DATABASE_URL=postgres://u:p@host/db make bench   # PostgreSQL, database db_bench
    BENCH_ARGS="--quick --record" make bench     # fewer runs; write docs/benchmarks.md
    BENCH_ARGS="--only soak" make bench          # the soak alone (PostgreSQL; SOAK_SECONDS)
    BENCH_ARGS="--only lists" make bench         # lists over HTTP on gunicorn (PostgreSQL)

The benchmarks never touch the developer's database: SQLite runs use var/bench.sqlite3,
PostgreSQL runs use ``<name>_bench`` on the same server (created when missing).

The groups live in their own modules: ``bench/network.py`` (coverage, units API),
``bench/casework.py`` (search, overdue list), ``bench/roster.py`` (roster import),
``bench/purchasing.py`` (indicator board) and ``bench/soak.py`` (50 clients for 10 minutes
against gunicorn, last, on PostgreSQL only); the data in ``bench/data.py``,
``bench/plan.py``, ``bench/casework_data.py`` and ``bench/soak_data.py``; timing in
``bench/timing.py``, the table and the record in ``bench/report.py``.
"""

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass, field

from . import soak
from .database import ROOT, setup_django
from .report import machine, record, table
from .timing import measure_pair

__all__ = ["main", "setup_django"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--reload", action="store_true", help="regenerate the data")
    parser.add_argument("--runs", type=int, help="repetitions per benchmark (overrides)")
    parser.add_argument("--clients", type=int, help="casework: clients (default 200,000)")
    parser.add_argument("--records", type=int, help="casework: service records (2,000,000)")
    parser.add_argument("--import-runs", type=int, help="roster imports of each kind (3)")
    parser.add_argument("--roster-rows", type=int, help="rows of the roster file (100,000)")
    parser.add_argument(
        "--only",
        choices=["network", "casework", "roster", "purchasing", "soak", "lists"],
        help="run one group of benchmarks",
    )
    parser.add_argument(
        "--lists-runs", type=int, default=200, help="lists over HTTP: requests at one client"
    )
    parser.add_argument(
        "--lists-seconds", type=int, default=20, help="lists over HTTP: seconds at 10 clients"
    )
    parser.add_argument(
        "--lists-as-loaded",
        action="store_true",
        help="lists over HTTP: measure the casework data as the database holds it",
    )
    soak.add_arguments(parser)
    return parser.parse_args(argv)


@dataclass
class Runs:
    """How many times each group runs, from the options."""

    coverage: tuple[int, int]
    api: tuple[int, int]
    board: int
    imports: int
    results: list = field(default_factory=list)
    extra: str = ""

    @classmethod
    def from_args(cls, args) -> "Runs":
        coverage_runs, coverage_warmup = (5, 1) if args.quick else (15, 2)
        api_runs, api_warmup = (30, 5) if args.quick else (200, 20)
        if args.runs:
            coverage_runs = api_runs = args.runs
        return cls(
            coverage=(coverage_runs, coverage_warmup),
            api=(api_runs, api_warmup),
            board=args.runs or (3 if args.quick else 9),
            imports=args.import_runs or (1 if args.quick else 3),
        )

    def runs_line(self, only) -> str:
        runs = []
        if only in (None, "network"):
            runs.append(
                f"coverage {self.coverage[0]} (+{self.coverage[1]} warm-up), API {self.api[0]} "
                f"(+{self.api[1]} warm-up)"
            )
        if only in (None, "casework"):
            runs.append(
                f"search and overdue {self.api[0]} (+{self.api[1]} warm-up), roster import "
                f"{self.imports} each in a fresh process"
            )
        if only == "roster":
            runs.append(f"roster import {self.imports} of each kind, each in a fresh process")
        if only in (None, "purchasing"):
            runs.append(f"indicator board {self.board} (+1 warm-up)")
        return "; ".join(runs) + "; figure and floor alternate"


def run_groups(args, runs: Runs, users) -> None:
    """Run the selected groups, adding their results (and the import table) to ``runs``."""
    if args.only in (None, "network"):
        from . import network

        runs.results += network.bench_coverage(users, *runs.coverage)
        runs.results += network.bench_units_api(users, *runs.api)
    if args.only == "network":
        return
    from . import casework, casework_data

    cw_users = casework_data.ensure_casework_data(
        clients=args.clients or casework_data.CLIENTS,
        records=args.records or casework_data.RECORDS,
    )
    if args.only != "purchasing":
        from . import roster

        if args.only != "roster":
            runs.results += casework.bench_search_and_overdue(cw_users, *runs.api, measure_pair)
        samples = roster.bench_import(runs.imports, args.roster_rows or roster.ROSTER_ROWS)
        runs.extra = roster.import_table(*samples)
    if args.only not in ("casework", "roster"):
        from . import purchasing

        runs.results += purchasing.bench_board(cw_users, runs.board, 1, measure_pair)


def counts_line(only) -> str:
    from .data import db_counts

    counts = db_counts()
    if only != "network":
        from .casework_data import casework_counts

        counts |= casework_counts()
    return ", ".join(f"{n:,} {what}" for what, n in counts.items())


def run_soak(argv) -> int:
    """The soak in a process of its own: it runs on a database and a server of its own."""
    argv = sys.argv[1:] if argv is None else argv
    return subprocess.run([sys.executable, "-m", "bench.soak", *argv], cwd=ROOT).returncode


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.only == "soak":
        return soak.main(argv)
    setup_django()
    if args.only == "lists":
        from . import lists

        return lists.main(args)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from .data import ensure_data

    print(f"Benchmark database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    users = ensure_data(reload=args.reload)
    translation.activate("zh-hans")

    runs = Runs.from_args(args)
    run_groups(args, runs, users)

    info = machine()
    data_line = counts_line(args.only)
    runs_line = runs.runs_line(args.only)
    print()
    print(
        f"{info['db']} · {info['cpus']} CPUs · {info['load']} · Python {info['python']} · "
        f"Django {info['django']} · {runs_line}"
    )
    print(table(runs.results))
    print()
    if runs.extra:
        print(runs.extra)
        print()
    print("Ratio = figure median / floor median; both measured in this run.")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("Warning: the machine was busy during the run (see the load average); expect noise.")
    if args.record:
        record(runs.results, info, data_line, runs_line, runs.extra, group=args.only)
    if args.only is None:
        return run_soak(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
