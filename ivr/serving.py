"""Production serving: gunicorn for the web app, an rq worker with its scheduler for jobs.

`hotline serve` and `hotline worker` start them; `deploy/` has the service units. The
same `gunicorn_options` serve any WSGI app, so that a benchmark can compare like with like.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Callable, Optional

from gunicorn.app.base import BaseApplication

#: Where the gunicorn processes write their metrics, for /metrics to add them up.
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
#: Set when `hotline serve` made that folder itself: it is removed when the server stops.
TEMPORARY_METRICS_DIR_VARIABLE = "HOTLINE_TEMPORARY_METRICS_DIR"


#: Threads per process: requests of one process overlap their waits on PostgreSQL and Redis.
DEFAULT_THREADS = 8


def default_workers() -> int:
    """One process per core, at least two, so that a restarting worker never stops service."""
    return max(2, os.cpu_count() or 1)


def gunicorn_options(bind: str = "127.0.0.1:8000", workers: Optional[int] = None,
                     threads: int = DEFAULT_THREADS, access_log: bool = False) -> dict:
    """The gunicorn settings of the hotline.

    Threaded workers, because a chat stream holds its thread for its whole lifetime while
    webhooks go on being answered beside it. Workers are renewed after a number of requests,
    with jitter so that they do not all restart at once.

    One process per core with 8 threads each, rather than gunicorn's 2 per core + 1 with 4:
    a webhook spends most of its time waiting for PostgreSQL (four to seven round trips and a
    commit), which the threads of one process overlap, while its Python work needs a core.
    More processes than cores only contend for the cores with each other and with PostgreSQL
    and the rq worker on the same host. In one session on the 2-core machine,
    `benchmarks/webhooks` with 200 closed-loop calls measured 2 x 8 at 330 webhook requests/s
    (p99 1.16 s) against 288/s (p99 1.48 s) for 5 x 4, and further ahead while other
    processes took CPU.
    """
    return {
        "bind": bind,
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "max_requests": 20_000,
        "max_requests_jitter": 2_000,
        "accesslog": "-" if access_log else None,
        "child_exit": forget_worker_metrics,
        "on_exit": remove_temporary_metrics_dir,
        "control_socket_disable": True,  # one per user would clash between servers on a host
    }


def forget_worker_metrics(_server, worker) -> None:
    """Gunicorn hook: drop the gauges of a worker process that has exited."""
    if os.environ.get(METRICS_DIR_VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def remove_temporary_metrics_dir(_server) -> None:
    """Gunicorn hook: the server stops; remove the metrics folder if it made it itself."""
    path = os.environ.get(TEMPORARY_METRICS_DIR_VARIABLE)
    if path and path == os.environ.get(METRICS_DIR_VARIABLE):
        shutil.rmtree(path, ignore_errors=True)


def prepare_metrics_dir() -> str:
    """An empty folder for the processes' metrics; must be set before prometheus_client loads."""
    path = os.environ.get(METRICS_DIR_VARIABLE)
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
    else:
        path = tempfile.mkdtemp(prefix="hotline-metrics-")
        os.environ[METRICS_DIR_VARIABLE] = os.environ[TEMPORARY_METRICS_DIR_VARIABLE] = path
    return path


class GunicornServer(BaseApplication):
    """Gunicorn serving the WSGI app that `load_app` builds in each worker process."""

    def __init__(self, load_app: Callable[[], object], options: dict):
        self.load_app = load_app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.load_app()


def serve_restarting_for_metrics(load_app: Callable[[], object], options: dict) -> None:
    """Serve; first start this command again with a metrics folder set, if none is.

    prometheus_client chooses between one process and many when it is imported, which
    has happened by the time a command runs: the folder must be in the environment before.
    """
    if not os.environ.get(METRICS_DIR_VARIABLE):
        prepare_metrics_dir()
        os.execv(sys.executable, [sys.executable, *sys.argv])
    serve(load_app, options)


def serve(load_app: Callable[[], object], options: dict) -> None:
    """Run gunicorn with the options until it is stopped."""
    prepare_metrics_dir()
    GunicornServer(load_app, options).run()
