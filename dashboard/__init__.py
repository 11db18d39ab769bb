"""Monitoring dashboard of Morocco's national plan against trafficking in persons.

``create_app`` (in ``dashboard.web.app``) builds the Flask server, its database and
translations, then mounts the Dash application (pages in ``layouts/``, callbacks in
``callbacks/``). ARCHITECTURE.md maps the sub-packages.
"""
from dashboard.web.app import create_app

__all__ = ["create_app"]
