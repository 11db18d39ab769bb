"""Callbacks, one module per page, each with ``register_callbacks(app)``.

``register_callbacks`` finds every module of this package, so adding a page's
callbacks means adding a module here and nothing else.
"""
from __future__ import annotations

import importlib
import pkgutil

from dash import Dash


def register_callbacks(app: Dash) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register_callbacks(app)
