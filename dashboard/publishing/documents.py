"""The progress report as a document: one HTML (Jinja2) for the page and the PDF, laid out
for the PDF by WeasyPrint (Pango and HarfBuzz shape Arabic and set it right to left).

Charts are drawn here as SVG rectangles (vector in the PDF, no browser needed); their
labels are HTML, so the text engine, not the chart, handles the direction of each language.
The PDF is made without any request: the fonts and the stylesheet are read from the
package (``LocalFiles``), and any other address is refused.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from dashboard import labels
from dashboard.cache import remembered
from dashboard.i18n import direction, fmt_date, fmt_mad, fmt_number, fmt_percent, fmt_value
from dashboard.i18n import gettext as _
from dashboard.publishing.report import ProgressReport, ReportOptions, check_options, progress_report

HERE = Path(__file__).parent
ASSETS_DIR = HERE.parent / "assets"
STYLESHEET = HERE / "report.css"
PDF_STYLESHEET = HERE / "report-pdf.css"
# Where the page asks for its files; the PDF maker reads the same paths from disk.
FONTS_URL = "/assets/vendor/fonts/noto-sans-arabic/noto-sans-arabic.css"
STYLESHEET_URL = "/reports/report.css"
PDF_STYLESHEET_URL = "/reports/report-pdf.css"
# The address the PDF's relative links resolve against; nothing is ever fetched from it.
BASE_URL = "http://report.invalid/"

_environment = Environment(loader=FileSystemLoader(HERE / "templates"),
                           autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)

LANG_NAMES = {"ar": "العربية", "fr": "français", "en": "English"}


def texts() -> dict[str, str]:
    """The report's fixed words in the current language."""
    return {
        "report": _("Progress report"),
        "commission": _("National commission to combat and prevent trafficking in persons (CNCLTEH)"),
        "scope": _("Scope"),
        "period": _("Period"),
        "data_as_of": _("Data as of"),
        "measured_at": _("Progress and schedules measured at"),
        "generated": _("Generated on"),
        "demo_mark": _("Demonstration data"),
        "demo_notice": _(
            "The official text of the plan is not public. The axes, objectives, measures and indicators "
            "shown here are an illustrative structure with demonstration figures, until the commission "
            "loads the official plan. Published statistics are real and cite their source."),
        "validated_only": _("This report holds validated data only, as the public sees it: approved progress "
                            "reports, public indicators, and national statistics with counts below %(n)s "
                            "withheld."),
        "page": _("Page"),
        "contents": _("Contents"),
        "summary": _("Summary"),
        "overall_progress": _("Overall progress"),
        "measures": _("Measures"),
        "measure": _("Measure"),
        "by_status": _("Measures by status"),
        "by_schedule": _("Measures by schedule"),
        "indicators_on_track": _("Indicators"),
        "stale": _("Measures without a validated report for more than %(days)s days"),
        "progress_by_axis": _("Weighted progress by strategic axis"),
        "progress_by_objective": _("Weighted progress by objective"),
        "axis": _("Strategic axis"),
        "code": _("Code"),
        "lead": _("Lead entity"),
        "status": _("Status"),
        "schedule": _("Schedule"),
        "progress": _("Progress"),
        "planned_end": _("Planned end"),
        "narratives": _("What was done (latest approved report)"),
        "written_in": _("Available only in %(lang)s"),
        "no_narrative": _("No approved narrative yet for the measures of this axis."),
        "indicators": _("Indicators"),
        "indicator": _("Indicator"),
        "baseline": _("Baseline"),
        "target": _("Target %(year)s"),
        "final_target": _("Final target"),
        "latest": _("Latest value"),
        "achievement": _("Achievement"),
        "source": _("Source"),
        "no_indicator": _("No public indicator for this axis."),
        "overdue": _("Overdue items of the implementation plan"),
        "overdue_none": _("No measure is past its planned end."),
        "statistics": _("National statistics"),
        "statistics_note": _("Each figure is the count of the body that publishes it; the bodies count "
                             "different things, so their figures are not added. A count below %(n)s is not "
                             "given: the table only says it is below %(n)s, and a cell that would reveal one "
                             "is not shown (\u2013)."),
        "publisher": _("Publisher"),
        "series": _("Series"),
        "breakdown": _("Breakdown"),
        "total": _("Total"),
        "value": _("Value"),
        "year": _("Year"),
        "no_statistics": _("No published statistic."),
        "activities": _("Activities of the period"),
        "date": _("Date"),
        "title": _("Title"),
        "kind": _("Kind"),
        "place": _("Place"),
        "organisers": _("Organisers"),
        "no_activities": _("No activity recorded for this period."),
        "programmes": _("Partners' programmes"),
        "programme": _("Programme"),
        "partners": _("Partners"),
        "years": _("Years"),
        "committed": _("Committed"),
        "disbursed": _("Disbursed"),
        "no_programmes": _("No programme for this scope and period."),
        "sources": _("Sources"),
        "progress_source": _("Progress of measures: reports of the lead entities, validated by the secretariat "
                             "of the commission."),
        "demo_row": _("demonstration"),
        "download_pdf": _("Download PDF"),
        "back": _("Choose another report"),
    }


def _bar_rows(bars, lang: str) -> list[dict]:
    """A progress chart's rows: label, share of the width, formatted value."""
    return [{"label": f"{bar.code} · {bar.name}", "width": max(0.0, min(100.0, bar.progress or 0.0)),
             "value": fmt_percent(bar.progress, lang)} for bar in bars]


def report_html(report: ProgressReport, generated: dt.datetime, for_pdf: bool = False,
                pdf_url: str = "", back_url: str = "") -> str:
    """The report as one HTML document (``for_pdf``: without the page's toolbar)."""
    lang = report.lang
    t = texts()
    t["validated_only"] = t["validated_only"] % {"n": report.threshold}
    t["statistics_note"] = t["statistics_note"] % {"n": report.threshold}
    t["stale"] = t["stale"] % {"days": report.freshness_days}
    t["target"] = t["target"] % {"year": report.as_of.year}

    def number(value, decimals: int = 0) -> str:
        return fmt_number(value, lang, decimals)

    def counted(line) -> str:
        if line.small:
            return f"<{report.threshold}"
        if line.value is None:
            return "–"
        return fmt_value(line.value, line.unit, lang)

    def indicator_value(line) -> str:
        if line.withheld:
            return f"<{report.threshold}"
        return fmt_value(line.value, line.unit, lang)

    return _environment.get_template("progress_report.html").render(
        r=report, t=t, lang=lang, dir=direction(lang), for_pdf=for_pdf, pdf_url=pdf_url, back_url=back_url,
        stylesheets=[STYLESHEET_URL, PDF_STYLESHEET_URL] if for_pdf else [FONTS_URL, STYLESHEET_URL],
        generated=fmt_date(generated.date(), lang, "long"),
        date=lambda value: fmt_date(value, lang),
        percent=lambda value: fmt_percent(value, lang),
        number=number, mad=lambda value: fmt_mad(value, lang), value=lambda v, unit: fmt_value(v, unit, lang),
        counted=counted, indicator_value=indicator_value,
        axis_bars=_bar_rows(report.axes_progress, lang),
        objective_bars={axis.code: _bar_rows(axis.objectives, lang) for axis in report.axes},
        lang_name=lambda code: LANG_NAMES.get(code, code),
        status_names=labels.measure_status(), schedule_names=labels.schedule_status(),
        achievement_names=labels.achievement_status(),
    )


class LocalFiles(URLFetcher):
    """WeasyPrint's fetcher: the stylesheet and the vendored fonts from disk, nothing else."""

    def fetch(self, url, headers=None):
        path = urlsplit(url).path
        if path in (STYLESHEET_URL, PDF_STYLESHEET_URL):
            sheet = STYLESHEET if path == STYLESHEET_URL else PDF_STYLESHEET
            return URLFetcherResponse(url, sheet.read_bytes(), {"Content-Type": "text/css"})
        if path.startswith("/assets/"):
            target = (ASSETS_DIR / path.removeprefix("/assets/")).resolve()
            if target.is_relative_to(ASSETS_DIR.resolve()) and target.is_file():
                kind = {".css": "text/css", ".woff2": "font/woff2"}.get(target.suffix, "application/octet-stream")
                return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": kind})
        raise ValueError(f"the report fetches nothing from {url}")


def report_pdf(report: ProgressReport, generated: dt.datetime) -> bytes:
    """The report as PDF bytes."""
    out = io.BytesIO()
    HTML(string=report_html(report, generated, for_pdf=True), base_url=BASE_URL,
         url_fetcher=LocalFiles()).write_pdf(out)
    return out.getvalue()


def progress_report_pdf(session: Session, lang: str, today: dt.date, freshness_days: int,
                        options: ReportOptions, threshold: int) -> bytes:
    """The report's PDF, made once per change of the data (``cache.remembered``: every
    worker shares it through Redis when it is set) for each language, day and options.
    Raises ``NotFound`` for options that name nothing."""
    options = check_options(session, options)
    parts = (lang, today.isoformat(), freshness_days, dataclasses.astuple(options), threshold)

    def build() -> bytes:
        report = progress_report(session, lang, today, freshness_days, options, threshold)
        return report_pdf(report, dt.datetime.now())

    return remembered(session, "progress_report_pdf", parts, build, bytes, bytes)
