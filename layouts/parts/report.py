"""What the /report page's layout and its callbacks share."""
from __future__ import annotations

from dashboard.publishing.report import Choice, ReportOptions
from dashboard.web.reports import report_query


def subject_options(choices: dict[str, list[Choice]], scope: str) -> list[dict]:
    return [{"label": c["label"], "value": c["value"]} for c in choices.get(scope, [])]


def report_href(options: ReportOptions, lang: str) -> str:
    return f"/reports/progress?{report_query(options, lang)}"
