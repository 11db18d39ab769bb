"""Chart builders: plain ``go.Figure`` objects from lists, one place for all pages."""
from layouts.charts.base import *  # noqa: F403 - the builders of every page, one namespace
