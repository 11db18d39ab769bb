"""The production server: gunicorn, two worker processes per core.

Dash and plotly spend their time in Python, so one process is bound by the GIL; several
processes share the machine. The application is built once by ``serve`` (a bad setting
stops it with a clear message), its library files are compressed in the master process,
then it is forked: workers share that memory copy on write and have the same secret key.
Nothing a request needs lives in one worker's memory: sessions are signed cookies, data
and log-in throttling are in the database, caches are keyed by the data's version.
"""
from __future__ import annotations

import gc
import os

from flask import Flask
from gunicorn.app.base import BaseApplication

from dashboard.web import delivery

# Two workers per core: while one waits (the database, the network, the GIL between its
# threads) the other works. Measured on 2 cores, the home page with 64 connections: 126
# page loads/s with one worker per core, 248 with two, 235 with three.
WORKERS_PER_CORE = 2


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return WORKERS_PER_CORE * usable_cores()


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        # Threads keep idle keep-alive connections and slow clients off the CPU-bound work.
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 30,
        "keepalive": 5,
        # A worker is replaced after this many requests: memory stays bounded whatever leaks.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": None,
        "errorlog": "-",
        "post_fork": _after_fork,
        # gunicorn 24+'s control socket lives in the user's home, shared by every server
        # there: two dashboards on one machine would take it from each other. Unused here.
        "control_socket_disable": True,
    }


class ProductionServer(BaseApplication):
    """gunicorn driven from Python, so ``python -m dashboard serve`` is the one command."""

    def __init__(self, app: Flask, options: dict):
        self.application = app
        self.options = options
        self.prepared = False
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # a setting older gunicorns lack is left out
                self.cfg.set(key, value)

    def load(self) -> Flask:
        if not self.prepared:
            self.prepared = True
            delivery.warm(self.application)
            # Everything loaded so far (Dash, plotly, SQLAlchemy, the compressed files) is
            # shared with the workers: keep the collector from touching (and copying) it.
            gc.freeze()
        return self.application


def _after_fork(_arbiter, worker) -> None:
    # Connections opened by the master are not shared with the forked workers.
    worker.app.application.extensions["db_engine"].dispose(close=False)
