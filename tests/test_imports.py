"""Rows of a reporting file checked as the forms check them: the preview says what each
filled row would change, or everything wrong with it, by column, and writes nothing.

plan_small.yaml: MJ leads A1.O1.M2, PMP leads A2.O2.M1; focal_mj is MJ's."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dashboard.i18n import using_language
from dashboard.models import MeasureUpdate
from dashboard.workflow.imports import SheetRow, preview_indicator_rows, preview_measure_rows, status_codes
from helpers import AS_OF_DATE, actor_of


def row(number: int, **cells) -> SheetRow:
    return SheetRow("measures", number, cells)


GOOD = {"code": "A1.O1.M2", "status": "En cours", "progress": "٤٠", "narrative_fr": "  Atelier tenu. ",
        "period_start": 45658, "period_end": "30/06/2025"}


def preview(session, key: str, rows: list[SheetRow], lang: str = "fr"):
    with using_language(lang):
        return preview_measure_rows(session, actor_of(session, key), rows, AS_OF_DATE)


def test_a_messy_but_readable_row_previews_its_changes_and_writes_nothing(session):
    before = session.scalar(select(func.count(MeasureUpdate.id)))
    [result] = preview(session, "focal_mj", [row(2, **GOOD)])
    assert result.ok and result.name == "Guide des indicateurs"
    assert result.form.status == "in_progress" and result.form.progress == 40
    assert result.form.period_start == dt.date(2025, 1, 1) and result.form.period_end == dt.date(2025, 6, 30)
    assert result.form.narrative["fr"] == "Atelier tenu."
    changes = {c.field: (c.old, c.new) for c in result.changes}
    assert changes["status"][1] == "En cours" and changes["progress"][1] == 40
    assert session.scalar(select(func.count(MeasureUpdate.id))) == before


def test_blank_rows_and_rows_with_nothing_filled_are_left_alone(session):
    rows = [row(2, code=None, status=" "), row(3, code="A1.O1.M2"), row(4, code="A1.O1.M2", status="", progress=None)]
    assert preview(session, "focal_mj", rows) == []


def test_every_unreadable_cell_of_a_row_is_reported_at_once(session):
    [result] = preview(session, "focal_mj", [row(7, code="A1.O1.M2", status="peut-être", progress="40,5",
                                                   period_start="demain", period_end="2025-02-30")])
    assert [p.column for p in result.problems] == ["status", "progress", "period_start", "period_end"]
    assert all(p.message for p in result.problems) and result.form is None and result.row == 7


def test_the_forms_rules_apply_to_a_row(session):
    [result] = preview(session, "focal_mj", [row(2, **{**GOOD, "status": "completed"})])
    assert [(p.column, p.message) for p in result.problems] == [
        ("progress", "Une mesure achevée a un avancement de 100\u00a0%.")]
    [future] = preview(session, "focal_mj", [row(2, **{**GOOD, "period_end": "2030-01-01"})])
    assert future.problems[0].column == "period_start"
    [silent] = preview(session, "focal_mj", [row(2, **{**GOOD, "narrative_fr": " "})])
    assert silent.problems[0].column == "narrative_ar"


@pytest.mark.parametrize(("key", "code", "column"), [
    ("focal_pmp", "A1.O1.M2", "code"),  # another entity's measure
    ("committee", "A1.O1.M2", "code"),
    ("focal_mj", "NOPE", "code"),
])
def test_rows_the_user_may_not_report_are_refused(session, key, code, column):
    [result] = preview(session, key, [row(2, **{**GOOD, "code": code})])
    assert [p.column for p in result.problems] == [column]


def test_a_measure_named_twice_is_an_error_on_its_second_row(session):
    first, second = preview(session, "focal_mj", [row(2, **GOOD), row(3, **GOOD)])
    assert first.ok and not second.ok and second.problems[0].column == "code"


def test_statuses_are_read_in_any_language_or_as_codes():
    codes = status_codes()
    assert codes["en cours"] == codes["in progress"] == codes["في طور الإنجاز"] == codes["in_progress"] == "in_progress"


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_problems_are_in_the_readers_language(session, lang):
    [result] = preview(session, "focal_mj", [row(2, code="A1.O1.M2", status="x", progress="x")], lang)
    with using_language(lang):
        from dashboard.i18n import gettext
        assert result.problems[0].message == gettext("Choose a status.")


# --- indicator values ---------------------------------------------------------------------
# IND-01 (PMP, annual, a count, by sex and nationality): 2024 total 140 published.


def values_preview(session, key: str, rows: list[SheetRow], lang: str = "fr"):
    with using_language(lang):
        return preview_indicator_rows(session, actor_of(session, key), rows, AS_OF_DATE)


def value_row(number: int, **cells) -> SheetRow:
    return SheetRow("indicators", number, cells)


def test_indicator_values_in_messy_cells_preview_what_they_replace(session):
    rows = [value_row(2, code="IND-01", period=2024.0, value="١٥٠"),
            value_row(3, code="IND-01", period="٢٠٢٥", value="12", sex="Féminin", nationality="moroccan"),
            value_row(4, code="IND-01", period=None, value=None)]
    total, cell = values_preview(session, "focal_pmp", rows)
    assert total.ok and total.form.period == "2024" and total.changes[0].old == 140 and total.changes[0].new == 150
    assert cell.ok and cell.form.breakdown == {"sex": "female", "nationality": "moroccan"}
    assert cell.changes[0].old is None


def test_indicator_rows_report_their_problems(session):
    rows = [value_row(2, code="IND-01", period="2024", value="12,5"),   # a count is whole
            value_row(3, code="IND-01", period="1990", value="5"),      # before the plan
            value_row(4, code="IND-01", period="2024", value="cinq", sex="Martien"),
            value_row(5, code="IND-01", period="2024", value="150"),
            value_row(6, code="IND-01", period="2024", value="151"),    # the same cell again
            value_row(7, code="IND-99", period="2024", value="1")]
    problems = [[p.column for p in r.problems] for r in values_preview(session, "focal_pmp", rows)]
    assert problems == [["value"], ["period"], ["value", "sex"], [], ["code"], ["code"]]


def test_an_indicator_of_another_entity_is_refused(session):
    [result] = values_preview(session, "focal_mj", [value_row(2, code="IND-01", period="2024", value="150")])
    assert [p.column for p in result.problems] == ["code"]


def test_every_fault_the_forms_rules_find_in_a_row_is_reported(session):
    [result] = preview(session, "focal_mj", [row(2, **{**GOOD, "status": "completed", "period_end": "2030-01-01",
                                                       "narrative_fr": " "})])
    columns = [p.column for p in result.problems]
    assert len(columns) >= 2 and "progress" in columns
