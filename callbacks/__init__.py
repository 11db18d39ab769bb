"""Callbacks, one module per page; ``register_callbacks`` wires them all to an app."""
from __future__ import annotations

from dash import Dash


def register_callbacks(app: Dash) -> None:
    from . import plan, shell

    for module in (shell, plan):
        module.register_callbacks(app)
