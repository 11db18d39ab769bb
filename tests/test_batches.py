"""A reporting file end to end at the service level: the template a focal point downloads,
filled in the way ministries fill it, read back, previewed, and sent as one batch.

plan_small.yaml: MJ leads A1.O1.M2; PMP leads A2.O2.M1 and reports IND-01 (annual, by sex
and nationality)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from dashboard.errors import Conflict, Forbidden, InvalidInput
from dashboard.i18n import using_language
from dashboard.models import AuditEvent, Evidence, ImportBatch, IndicatorSubmission, MeasureUpdate, StatisticSubmission
from dashboard.workflow import worklists
from dashboard.workflow.batches import confirm_import, preview_file
from dashboard.workflow.templates import TEMPLATE_SHEET, due_periods, reporting_template
from helpers import AS_OF_DATE, actor_of


def template(session, key: str, lang: str = "fr"):
    with using_language(lang):
        return reporting_template(session, actor_of(session, key), lang, AS_OF_DATE)


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def headers(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def fill_measure(book, title: str, row: int, **cells) -> None:
    sheet = book[title]
    columns = headers(sheet)
    for header, value in cells.items():
        sheet.cell(row, columns[header], value)


def preview(session, key: str, name: str, content: bytes, lang: str = "fr"):
    with using_language(lang):
        return preview_file(session, actor_of(session, key), name, content, AS_OF_DATE)


# --- the template -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_the_template_lists_the_entitys_measures_with_headers_in_the_readers_language(session, lang):
    result = template(session, "focal_mj", lang)
    assert result.filename == f"reporting-template-MJ-{lang}-2026-11-22.xlsx"
    book = workbook(result.content)
    measures = book.worksheets[1]
    assert measures.sheet_view.rightToLeft is (lang == "ar")
    assert measures.protection.sheet
    codes = [row[0] for row in measures.iter_rows(min_row=2, values_only=True)]
    assert codes == ["A1.O1.M2"]
    hidden = book[TEMPLATE_SHEET]
    assert hidden.sheet_state == "veryHidden"
    identity = {row[0]: row[1] for row in hidden.iter_rows(max_col=2, max_row=6, values_only=True)}
    assert identity["entity"] == "MJ" and identity["lang"] == lang and identity["version"] == 1


def test_the_template_locks_the_keys_and_offers_lists(session):
    book = workbook(template(session, "focal_pmp").content)
    measures = book["Mesures"]
    columns = headers(measures)
    assert measures.cell(2, columns["Code de la mesure"]).protection.locked
    assert not measures.cell(2, columns["Nouveau statut"]).protection.locked
    lists = [v.formula1 for v in measures.data_validations.dataValidation]
    assert any(TEMPLATE_SHEET in formula for formula in lists)


def test_the_template_lists_the_indicator_values_due_with_their_breakdowns(session):
    book = workbook(template(session, "focal_pmp").content)
    values = book["Valeurs des indicateurs"]
    rows = list(values.iter_rows(min_row=2, values_only=True))
    periods = sorted({row[3] for row in rows if row[0] == "IND-01"})
    assert periods and all(p.isdigit() for p in periods)
    # The total and one row per category of sex and of nationality, for each period.
    assert len([r for r in rows if r[0] == "IND-01"]) == len(periods) * 5


def test_periods_due_follow_the_frequency():
    class Ind:
        frequency, latest_period = "quarterly", "2026-Q1"
    assert due_periods(Ind, dt.date(2026, 11, 22), 2023) == ["2026-Q2", "2026-Q3"]
    Ind.frequency, Ind.latest_period = "annual", "2025"
    assert due_periods(Ind, dt.date(2026, 11, 22), 2023) == ["2025"]  # nothing owed: the latest, to correct


def test_only_a_focal_point_gets_a_template(session):
    for key in ("committee", "secretariat", None):
        with pytest.raises(Forbidden):
            template(session, key)


# --- reading what ministries send ----------------------------------------------------------------


def filled_template(session, lang: str = "fr") -> bytes:
    book = workbook(template(session, "focal_pmp", lang).content)
    with using_language(lang):
        sheet = book.worksheets[1]
    columns = headers(sheet)
    header_of = {key: header for header, key in zip(columns, [
        "code", "name", "current_status", "current_progress", "planned_start", "planned_end", "status",
        "progress", "narrative_ar", "narrative_fr", "narrative_en", "period_start", "period_end", "links"])}
    sheet.cell(2, columns[header_of["status"]], "En cours ")
    sheet.cell(2, columns[header_of["progress"]], "٥٠")  # Arabic-Indic digits
    sheet.cell(2, columns[header_of["narrative_fr"]], "Deux sessions de formation.")
    sheet.cell(2, columns[header_of["period_start"]], 45658)  # an Excel serial: 2025-01-01
    sheet.cell(2, columns[header_of["period_end"]], "30/06/2025")
    values = book.worksheets[2]
    value_column = list(headers(values)).index("Valeur") + 1 if lang == "fr" else 11
    values.cell(2, value_column, "1 234")  # the total of the first period due, grouped thousands
    values.cell(3, value_column, "12,5")  # not a count: refused
    return saved(book)


def test_a_filled_template_previews_its_rows_with_old_and_new_values(session):
    result = preview(session, "focal_pmp", "rapport.xlsx", filled_template(session))
    [measure] = result.measures
    assert measure.ok and measure.code == "A2.O2.M1" and measure.form.progress == 50
    assert [(c.field, c.new) for c in measure.changes][:2] == [("status", "En cours"), ("progress", 50)]
    total, half = result.indicators
    assert total.ok and total.changes[0].new == 1234
    assert not half.ok and half.problems[0].column == "value" and half.row == 3
    assert result.ready == 2 and result.refused == 1


def test_confirming_sends_every_valid_row_as_one_batch_with_its_file(session, tmp_path):
    content = filled_template(session)
    actor = actor_of(session, "focal_pmp")
    first = preview(session, "focal_pmp", "rapport.xlsx", content)
    with using_language("fr"):
        batch = confirm_import(session, actor, "rapport.xlsx", content, first.fingerprint, tmp_path,
                               AS_OF_DATE, "fr")
    assert batch.measure_rows == 1 and batch.indicator_rows == 1
    update = session.scalar(select(MeasureUpdate).where(MeasureUpdate.batch_id == batch.id))
    value = session.scalar(select(IndicatorSubmission).where(IndicatorSubmission.batch_id == batch.id))
    assert update.state == value.state == "submitted" and value.value == 1234
    files = session.scalars(select(Evidence).where(Evidence.stored_name == batch.stored_name)).all()
    assert len(files) == 2 and (tmp_path / batch.stored_name).read_bytes() == content
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "import.confirm"))
    assert event.after["file"] == "rapport.xlsx" and event.after["rows_left_out"] == 1
    # The same file again: its rows now wait for review, so nothing more can be sent.
    again = preview(session, "focal_pmp", "rapport.xlsx", content)
    assert again.ready == 0


def test_a_confirmation_after_the_data_changed_writes_nothing(session, tmp_path):
    content = filled_template(session)
    first = preview(session, "focal_pmp", "rapport.xlsx", content)
    before = session.scalar(select(func.count(ImportBatch.id)))
    with using_language("fr"), pytest.raises(Conflict):
        confirm_import(session, actor_of(session, "focal_pmp"), "rapport.xlsx", content,
                       first.fingerprint[::-1], tmp_path, AS_OF_DATE, "fr")
    assert session.scalar(select(func.count(ImportBatch.id))) == before


def test_the_template_of_another_body_is_refused(session):
    content = saved(workbook(template(session, "focal_mj").content))
    with pytest.raises(InvalidInput, match=r"autre organisme|another body"):
        preview(session, "focal_pmp", "mj.xlsx", content)


def test_an_arabic_template_is_read_whatever_the_languages_of_its_headers(session):
    result = preview(session, "focal_pmp", "تقرير.xlsx", filled_template(session, "ar"))
    assert result.measures == [] or result.measures[0].code == "A2.O2.M1"
    assert result.rows


def test_a_template_from_an_earlier_date_is_read_with_a_note(session):
    book = workbook(filled_template(session))
    hidden = book[TEMPLATE_SHEET]
    for row in hidden.iter_rows(max_col=2, max_row=6):
        if row[0].value == "generated_on":
            row[1].value = "2026-06-30"
    result = preview(session, "focal_pmp", "ancien.xlsx", saved(book))
    assert result.ready == 2 and result.file.notes


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig", separator: str = ";") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator).writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1256"])
def test_a_csv_with_arabic_headers_extra_columns_and_blank_rows_is_read(session, encoding):
    with using_language("ar"):
        content = csv_bytes([
            ["رمز التدبير", "الوضعية الجديدة", "التقدم الجديد (%)", "السرد بالعربية", "الفترة من", "الفترة إلى", "عمود إضافي"],
            [],
            # Windows' Arabic code page has no Arabic-Indic digits.
            ["A2.O2.M1 ", "في طور الإنجاز", "٤٠" if encoding == "utf-8-sig" else "40", "تم تنظيم ورشة.",
             "2025-01-01", "2025-06-30", "x"],
        ], encoding)
    with using_language("ar"):
        result = preview(session, "focal_pmp", "تقرير.csv", content, "ar")
    assert [r.code for r in result.measures] == ["A2.O2.M1"]


def test_csv_headers_as_keys_are_read(session):
    content = csv_bytes([["code", "period", "value", "sex"], ["IND-01", "2025", "40", "Femmes"],
                         ["IND-01", "2025", "41", "female"]], separator=",")
    result = preview(session, "focal_pmp", "values.csv", content)
    first, second = result.indicators
    assert not first.ok and first.problems[0].column == "sex"
    assert second.ok


def bad_workbook_with_formula() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "status", "progress"])
    sheet.append(["A2.O2.M1", "in_progress", "=20*2"])
    return saved(book)


def macro_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bad_workbook_with_formula())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "words"), [
    ("vide.xlsx", b"", "vide"),
    ("rapport.pdf", b"%PDF-1.4", "pas un classeur"),
    ("rapport.xls", b"\xd0\xcf\x11\xe0", "ancien format"),
    ("rapport.xlsm", b"PK", "macros"),
    ("rapport.xlsx", b"not a zip at all", "endommagé"),
    ("rapport.xlsx", macro_workbook(), "macros"),
    ("rapport.xlsx", bad_workbook_with_formula(), "formules"),
    ("énorme.xlsx", b"PK" + b"0" * (5 * 1024 * 1024), "5 Mo"),
    ("rapport.csv", b"\x00\x01\x02", "pas un classeur"),
    ("rapport.csv", b"a;b\n1;2\n", "colonnes du modèle"),
])
def test_files_that_are_refused_whole_say_why(session, name, content, words):
    with pytest.raises(InvalidInput) as refusal:
        preview(session, "focal_pmp", name, content)
    assert words in refusal.value.message


def test_nobody_but_a_focal_point_may_send_a_file(session):
    for key in ("committee", "secretariat", "admin", None):
        with pytest.raises(Forbidden):
            preview(session, key, "rapport.xlsx", b"PK")


def test_rows_of_another_bodys_measures_are_refused_row_by_row(session):
    content = csv_bytes([["code", "status", "progress", "narrative_fr", "period_start", "period_end"],
                         ["A1.O1.M2", "in_progress", "40", "Texte", "2025-01-01", "2025-06-30"]])
    [row] = preview(session, "focal_pmp", "autre.csv", content).measures
    assert not row.ok and row.problems[0].column == "code"


def test_a_sheet_longer_than_the_limit_is_refused(session, monkeypatch):
    monkeypatch.setattr("dashboard.workflow.reporting_files.MAX_ROWS", 1)
    with pytest.raises(InvalidInput, match=r"plus de 1 lignes|more than 1 rows"):
        preview(session, "focal_pmp", "rapport.xlsx", filled_template(session))


# --- national figures: the producers' yearly tables ------------------------------------------------


def test_a_producers_template_has_its_yearly_tables_and_another_bodys_has_none(session):
    pmp = workbook(template(session, "focal_pmp").content)
    assert "Chiffres nationaux" in pmp.sheetnames
    figures = pmp["Chiffres nationaux"]
    rows = list(figures.iter_rows(min_row=2, values_only=True))
    assert rows and len({row[1] for row in rows}) == 1  # one year to report
    assert "Chiffres nationaux" not in workbook(template(session, "focal_mj").content).sheetnames


def filled_figures(session, value, document="Rapport annuel 2025") -> bytes:
    book = workbook(template(session, "focal_pmp").content)
    figures = book["Chiffres nationaux"]
    columns = headers(figures)
    total = next(row for row in range(2, figures.max_row + 1)
                 if all(figures.cell(row, c).value is None for c in range(3, columns["Valeur"] - 1)))
    figures.cell(total, columns["Valeur"], value)
    figures.cell(total, columns["Document source"], document)
    return saved(book)


def test_a_yearly_figure_is_previewed_sent_and_reviewed_with_its_file(session, tmp_path):
    content = filled_figures(session, "٣٠")
    result = preview(session, "focal_pmp", "chiffres.xlsx", content)
    [figure] = result.statistics
    assert figure.ok and figure.changes[0].new == 30
    with using_language("fr"):
        batch = confirm_import(session, actor_of(session, "focal_pmp"), "chiffres.xlsx", content,
                               result.fingerprint, tmp_path, AS_OF_DATE, "fr")
    assert batch.statistic_rows == 1
    item = session.scalar(select(StatisticSubmission).where(StatisticSubmission.batch_id == batch.id))
    assert item.state == "submitted" and item.value == 30
    [queued] = worklists.pending_batches(session, actor_of(session, "secretariat"), "fr")
    assert [row["value"] for row in queued["statistics"]] == [30]


@pytest.mark.parametrize(("value", "document", "column"), [("-3", "Rapport", "value"), ("12", "", "document"),
                                                           ("beaucoup", "Rapport", "value")])
def test_a_yearly_figure_breaking_the_forms_rules_is_refused_by_column(session, value, document, column):
    [figure] = preview(session, "focal_pmp", "chiffres.xlsx", filled_figures(session, value, document)).statistics
    assert not figure.ok and figure.problems[0].column == column
