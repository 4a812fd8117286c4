"""The benchmark's report: throughput, latency, errors and the targets, as plain text."""
from __future__ import annotations

from dataclasses import dataclass

from benchmarks.webhooks.load import Measurement

#: The hotline's targets: this share of the bare app's throughput, and this p99.
MIN_THROUGHPUT_RATIO = 0.5
MAX_P99_MS = 50.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.5 = median) of the values, in ms."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1] * 1000


@dataclass
class Row:
    """The figures of one app."""

    measurement: Measurement
    server_cpu_seconds: float
    worker_cpu_seconds: float
    database_cpu_seconds: float
    machine_busy_share: float

    @property
    def requests_per_second(self) -> float:
        m = self.measurement
        return len(m.latencies) / m.wall_seconds if m.wall_seconds else 0.0

    def line(self) -> str:
        m = self.measurement
        wall = m.wall_seconds or 1.0
        return (f"{m.target:<8} {self.requests_per_second:>9.1f} {percentile(m.latencies, 0.5):>8.1f} "
                f"{percentile(m.latencies, 0.99):>8.1f} {m.errors:>7} {len(m.latencies):>9} "
                f"{m.calls_finished:>7} {m.client_cpu_seconds / wall:>9.2f} "
                f"{self.server_cpu_seconds / wall:>9.2f} {self.worker_cpu_seconds / wall:>9.2f} "
                f"{self.database_cpu_seconds / wall:>9.2f} "
                f"{self.machine_busy_share:>7.0%}")


HEADER = (f"{'app':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9} "
          f"{'calls':>7} {'client':>9} {'server':>9} {'rq':>9} {'db':>9} {'machine':>7}")
LEGEND = ("client, server, rq, db: CPU cores used on average by the load generator, gunicorn, "
          "the hotline's rq worker and\nthe PostgreSQL backends of its database; machine: share "
          "of all cores busy, other processes included")


def targets(hotline: Row, bare: Row, calls: int) -> list[tuple[str, bool]]:
    """Each target, met or not."""
    ratio = hotline.requests_per_second / bare.requests_per_second if bare.requests_per_second else 0
    p99 = percentile(hotline.measurement.latencies, 0.99)
    return [
        ("hotline answered without errors", hotline.measurement.errors == 0),
        (f"throughput at least {MIN_THROUGHPUT_RATIO:.0%} of the bare app's (ratio {ratio:.2f})",
         ratio >= MIN_THROUGHPUT_RATIO),
        (f"p99 under {MAX_P99_MS:.0f} ms at {calls} concurrent calls ({p99:.1f} ms)", p99 < MAX_P99_MS),
    ]


def render(settings: dict, hotline: Row, bare: Row) -> str:
    lines = ["settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()), "", HEADER,
             bare.line(), hotline.line(), LEGEND, ""]
    ratio = hotline.requests_per_second / bare.requests_per_second if bare.requests_per_second else 0
    lines.append(f"throughput ratio hotline/bare: {ratio:.2f}")
    for text, met in targets(hotline, bare, settings["calls"]):
        lines.append(f"[{'met' if met else 'MISSED'}] {text}")
    lines += ["", "hotline by request:  " + f"{'count':>7} {'p50 ms':>8} {'p99 ms':>8}"]
    for path, seconds in hotline.measurement.by_path.items():
        lines.append(f"  {path:<34} {len(seconds):>7} {percentile(seconds, 0.5):>8.1f} "
                     f"{percentile(seconds, 0.99):>8.1f}")
    for row in (bare, hotline):
        for sample in row.measurement.error_samples:
            lines.append(f"error sample: {sample}")
    return "\n".join(lines)
