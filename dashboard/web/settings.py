"""The settings of the running Flask application, for the web layer to pass to services.

Services take their settings as parameters (``threshold=``, ``data_dir=``); views read them
here. ``install`` also lets a service whose caller passes nothing fall back on them
(``dashboard.config.running_setting``).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import current_app, has_app_context

from dashboard import config
from dashboard.national.disclosure import DEFAULT_THRESHOLD


def app_settings() -> Mapping | None:
    """The running application's config, or None outside one."""
    return current_app.config if has_app_context() else None


def install() -> None:
    config.read_running_settings_from(app_settings)


def small_cell_threshold() -> int:
    """Public counts below this show as "<5" (``SMALL_CELL_THRESHOLD``)."""
    return int(current_app.config.get("SMALL_CELL_THRESHOLD", DEFAULT_THRESHOLD))


def data_dir() -> Path:
    return Path(current_app.config["DATA_DIR"])
