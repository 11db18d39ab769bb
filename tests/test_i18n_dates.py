"""Dates in the user's language: months that cannot be mistaken for one another."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.i18n import fmt_date, fmt_month


@pytest.mark.parametrize("formatter", [fmt_date, fmt_month])
def test_june_and_july_differ_in_french(formatter):
    # Moroccan French locale data shortens June to "jui.", which reads as July.
    june, july = formatter(dt.date(2026, 6, 30), "fr"), formatter(dt.date(2026, 7, 30), "fr")
    assert "juin" in june and "juil." in july


def test_every_month_has_its_own_short_name_in_every_language():
    for lang in ("ar", "fr", "en"):
        names = {fmt_month(dt.date(2026, month, 1), lang) for month in range(1, 13)}
        assert len(names) == 12, lang


def test_an_activity_in_june_says_juin():
    from layouts.parts.activities import fmt_period

    assert fmt_period(dt.date(2024, 6, 3), dt.date(2024, 6, 5), "day", "fr") == "3–5 juin 2024"
    assert "juin" in fmt_period(dt.date(2024, 6, 3), dt.date(2024, 7, 5), "month", "fr")


@pytest.mark.parametrize(("days", "lang", "text"), [
    (0, "fr", "Mis à jour aujourd’hui"), (0, "en", "Updated today"), (1, "ar", "أمس"), (3, "fr", "il y a 3 jours")])
def test_freshness_says_today_rather_than_zero_days_ago(app, days, lang, text):
    from layouts.components import freshness_badge

    with app.test_request_context(f"/?lang={lang}"):
        assert freshness_badge(days, False, lang).children == text
