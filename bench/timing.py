"""Timing: figure and floor measured alternately, run by run, in the same process."""

import math
import statistics
import time
from dataclasses import dataclass


@dataclass
class Samples:
    label: str
    ms: list[float]
    queries: int

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Result:
    name: str
    figure: Samples
    floor: Samples

    @property
    def ratio(self) -> float:
        return self.figure.median / self.floor.median


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def measure_pair(name, figure, floor, *, runs: int, warmup: int) -> Result:
    """Warm both up, then alternate them run by run (swapping which goes first) so drift
    and cache state affect both alike."""
    for _ in range(warmup):
        figure[1]()
        floor[1]()
    times: dict[int, list[float]] = {0: [], 1: []}
    fns = [figure[1], floor[1]]
    for i in range(runs):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for which in order:
            started = time.perf_counter()
            fns[which]()
            times[which].append((time.perf_counter() - started) * 1000)
    return Result(
        name,
        Samples(figure[0], times[0], count_queries(figure[1])),
        Samples(floor[0], times[1], count_queries(floor[1])),
    )
