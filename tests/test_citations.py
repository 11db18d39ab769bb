"""A citation is composed per language from its parts, never an English sentence."""
from __future__ import annotations

from dashboard.citations import SourceParts, compose, composed
from dashboard.i18n import LRI, PDI, isolate_runs

REPORT = SourceParts(
    title={"ar": "التقرير السنوي الأول", "fr": "Premier rapport annuel", "en": "First annual report"},
    publisher={"ar": "اللجنة الوطنية", "fr": "Commission nationale", "en": "National Commission"},
    date="2022-02-16", via="telquel.ma")


def test_each_language_has_its_own_words_punctuation_and_date():
    texts = composed(REPORT)
    assert texts["en"] == "National Commission, “First annual report” (telquel.ma, Feb 16, 2022)"
    assert texts["fr"] == "Commission nationale, «\u00a0Premier rapport annuel\u00a0» (telquel.ma, 16 févr. 2022)"
    assert texts["ar"].startswith("اللجنة الوطنية، «التقرير السنوي الأول» (")
    assert "First" not in texts["ar"] and "Premier" not in texts["en"]


def test_latin_runs_inside_arabic_are_isolated():
    text = compose(REPORT, "ar")
    assert f"{LRI}telquel.ma{PDI}" in text
    assert "2022" in text and f"{LRI}2022{PDI}" in text


def test_a_year_or_a_month_is_cited_as_given():
    decree = SourceParts(title={"ar": "مرسوم", "fr": "Décret", "en": "Decree"}, date="2018-07")
    assert compose(decree, "fr") == "«\u00a0Décret\u00a0» (juil. 2018)"
    assert compose(SourceParts(title=decree.title, date="2018"), "en") == "“Decree” (2018)"


def test_isolating_runs_leaves_other_languages_alone_and_keeps_final_punctuation_outside():
    assert isolate_runs("US TIP 2025.", "fr") == "US TIP 2025."
    assert isolate_runs("تقرير US TIP 2025.", "ar") == f"تقرير {LRI}US TIP 2025{PDI}."
    assert isolate_runs("أطفال: 47,4 %", "ar") == f"أطفال: {LRI}47,4{PDI} %"
