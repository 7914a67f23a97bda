"""The soak's outcome and its report (``bench/soak.py``): per request, what the clients saw
(waiting for a free worker included) and the time in the worker (from gunicorn's access
log), the latter next to the floor's; the workers' memory at the start, middle and end of
the measured window; and the verdict: no error and memory flat."""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

FLOOR = "floor: signed-in request, no work"
# (request, weight): the mix each client draws from; the floor in it waits in the same queue.
MIX = [
    ("client list (page)", 14),
    ("client page", 14),
    ("case page", 10),
    ("API client list", 10),
    ("API client detail", 10),
    ("API PATCH client", 8),
    ("API visit create", 9),
    ("API service record create", 9),
    (FLOOR, 16),
]
MEMORY_GROWTH_LIMIT = 0.10  # end over start, all workers together


@dataclass
class Tally:
    """What clients saw inside the measured window: milliseconds of the expected answers,
    the other answers by (request, status), and a few of them to show."""

    ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name, ms in other.ms.items():
            self.ms[name] += ms
        self.errors += other.errors
        self.examples += other.examples


@dataclass
class Outcome:
    seconds: int
    clients: int
    workers: int
    warmup: int
    tally: Tally
    in_worker: dict[str, list[float]]
    memory: dict[str, dict[int, int]]  # start / middle / end -> {worker pid: RSS kB}
    trend: list[int]  # all workers' RSS (kB) at each tenth of the window
    restarted: bool
    server_errors: list[str]
    signin_failures: list[str]
    counts: dict[str, int]

    @property
    def requests(self) -> int:
        return sum(len(ms) for ms in self.tally.ms.values()) + self.errors

    @property
    def errors(self) -> int:
        return sum(self.tally.errors.values())

    @property
    def all_errors(self) -> int:
        failures = len(self.signin_failures) + len(self.server_errors)
        return self.errors + failures + int(self.restarted)

    def total_rss(self, when: str) -> int:
        return sum(self.memory[when].values())

    @property
    def growth(self) -> float:
        return self.total_rss("end") / self.total_rss("start") - 1

    @property
    def flat(self) -> bool:
        return self.growth <= MEMORY_GROWTH_LIMIT

    @property
    def passed(self) -> bool:
        return self.all_errors == 0 and self.flat


def p(ms: list[float], q: float) -> float:
    ordered = sorted(ms)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def latency_table(outcome: Outcome) -> str:
    floor_p50 = p(outcome.in_worker.get(FLOOR, []), 0.5)
    errors = Counter()
    for (name, _status), n in outcome.tally.errors.items():
        errors[name] += n
    lines = [
        "| Request | Requests | Errors | Client p50 ms | Client p95 ms | In worker p50 ms "
        "| In worker p95 ms | ÷ floor |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(label, seen, worker, n_errors, ratio=True):
        share = f"{p(worker, 0.5) / floor_p50:.1f}×" if ratio and worker else ""
        return (
            f"| {label} | {len(seen) + n_errors:,} | {n_errors} | {p(seen, 0.5):.0f} "
            f"| {p(seen, 0.95):.0f} | {p(worker, 0.5):.1f} | {p(worker, 0.95):.1f} | {share} |"
        )

    seen_all, worker_all = [], []
    for name, _weight in MIX:
        seen, worker = outcome.tally.ms.get(name, []), outcome.in_worker.get(name, [])
        if name != FLOOR:
            seen_all += seen
            worker_all += worker
        lines.append(row(name, seen, worker, errors[name], ratio=name != FLOOR))
    lines.append(row("**all but the floor**", seen_all, worker_all, outcome.errors - errors[FLOOR]))
    return "\n".join(lines)


def memory_table(outcome: Outcome) -> str:
    mb = lambda kb: f"{kb / 1024:.0f}"  # noqa: E731
    lines = [
        "| gunicorn workers' RSS (MB) | start | middle | end | end ÷ start |",
        "|---|---|---|---|---|",
    ]
    pids = sorted(set().union(*(m.keys() for m in outcome.memory.values())))
    for i, pid in enumerate(pids, start=1):
        row = [outcome.memory[w].get(pid, 0) for w in ("start", "middle", "end")]
        change = f"{row[2] / row[0]:.2f}" if row[0] else ""
        lines.append(f"| worker {i} | {' | '.join(mb(x) for x in row)} | {change} |")
    totals = [outcome.total_rss(w) for w in ("start", "middle", "end")]
    lines.append(
        f"| **all workers** | {' | '.join(mb(x) for x in totals)} | {1 + outcome.growth:.2f} |"
    )
    lines += [
        "",
        f"All workers at each tenth of the window (MB): {', '.join(map(mb, outcome.trend))}.",
    ]
    return "\n".join(lines)


def summary(outcome: Outcome) -> str:
    rate = outcome.requests / outcome.seconds
    return (
        f"{'PASS' if outcome.passed else 'FAIL'}: {outcome.requests:,} requests in "
        f"{outcome.seconds} s ({rate:.0f}/s), {outcome.all_errors} errors ({outcome.errors} "
        f"answers, {len(outcome.signin_failures)} sign-ins, {len(outcome.server_errors)} "
        f"server log lines, worker restarts: {'yes' if outcome.restarted else 'no'}); memory "
        f"{'flat' if outcome.flat else 'GROWING'} ({outcome.growth:+.1%} from start to end, "
        f"limit +{MEMORY_GROWTH_LIMIT:.0%})."
    )


def print_report(outcome: Outcome) -> None:
    print()
    print(latency_table(outcome))
    print()
    print(memory_table(outcome))
    print()
    print(summary(outcome))
    for line in outcome.signin_failures + outcome.tally.examples + outcome.server_errors[:20]:
        print("  " + line)


def record(outcome: Outcome, info: dict) -> None:
    from .report import write_section

    data = ", ".join(f"{n:,} {what}" for what, n in outcome.counts.items())
    write_section(
        f"{info['vendor']}:soak",
        [
            f"### Soak — {info['db']}, gunicorn ({outcome.workers} sync workers) — "
            f"{datetime.date.today().isoformat()}",
            "",
            f"- Machine: {info['cpus']} CPUs ({info['cpu']}), {info['os']}, "
            f"Python {info['python']}, Django {info['django']}, commit {info['commit']}; "
            f"{info['load']} at the end of the run",
            f"- Data at the start: {data} (seed_demo's Yubei)",
            f"- Load: {outcome.clients} clients without pause, {outcome.warmup} s warm-up, "
            f"{outcome.seconds} s measured; the load generator runs on the same machine",
            "",
            latency_table(outcome),
            "",
            memory_table(outcome),
            "",
            summary(outcome),
        ],
    )
