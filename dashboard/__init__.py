"""Monitoring dashboard of Morocco's national plan against trafficking in persons.

The services and the web layer live in the sub-packages; ``dashboard.app.create_app`` puts
them together with the pages of ``layouts/`` and the callbacks of ``callbacks/``.
ARCHITECTURE.md maps the house.
"""
