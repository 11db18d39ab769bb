"""Pieces of the validation flow shared by the measure page, the inbox (/my) and the review
queue (/review): state badges, evidence lists, update summaries, the progress report form.

Text typed by users (narratives, reasons, notes) is always passed as plain children, so
Dash escapes it: never Markdown, never raw HTML.
"""
from __future__ import annotations

import datetime as dt

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_datetime, fmt_number, fmt_percent, fmt_value
from dashboard.i18n import gettext as _
from dashboard.permissions import Actor, allowed
from dashboard.workflow import worklists
from dashboard.workflow.statistic_entries import CHANGE_FLAG
from layouts.components import code_label, data_grid, pager
from layouts.parts.comments import comment_thread
from layouts.parts.evidence import evidence_list, evidence_upload
from layouts.parts.form_errors import described, error_slot

NARRATIVE_LANGS = ("ar", "fr", "en")


# --- formatting ---------------------------------------------------------------------------


def period_text(start: dt.date | None, end: dt.date | None, lang: str) -> str:
    if start is None and end is None:
        return "–"
    return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"


def language_names() -> dict[str, str]:
    return {"ar": _("Arabic"), "fr": _("French"), "en": _("English")}


def state_labels() -> dict[str, str]:
    return {"submitted": _("Waiting for review"), "returned": _("Returned"), "approved": _("Approved"),
            "withdrawn": _("Withdrawn")}


STATE_CLASSES = {"submitted": "text-bg-warning", "returned": "text-bg-danger", "approved": "text-bg-success",
                 "withdrawn": "text-bg-secondary"}


def state_badge(state: str) -> html.Span:
    return html.Span(state_labels().get(state, state), className="badge " + STATE_CLASSES.get(state, "text-bg-light"))


def user_text(text: str | None, lang: str | None = None, className: str = "mb-1") -> html.P:
    """Text a user typed, as plain text that keeps its line breaks."""
    props = {"lang": lang, "dir": "rtl" if lang == "ar" else "auto"} if lang else {"dir": "auto"}
    # Marked as typed by a user: shown as written, in whatever language it was written.
    return html.P(text or "–", className=className, style={"whiteSpace": "pre-wrap"},
                  **props, **{"data-user-text": "true"})


def alert(message: str, kind: str = "danger") -> html.Div:
    """A feedback message; errors are announced at once (role=alert)."""
    return html.Div(message, className=f"alert alert-{kind} mb-3",
                    role="alert" if kind == "danger" else "status")


def narratives(texts: dict[str, str]) -> html.Div:
    """Each narrative that was written, labelled with its language."""
    names = language_names()
    blocks = [
        html.Div([html.Div(names[code], className="small text-body-secondary"), user_text(texts[code], code)])
        for code in NARRATIVE_LANGS if texts.get(code)
    ]
    return html.Div(blocks or [user_text("")])


def arrow(lang: str) -> str:
    """From the old value to the new, in the reading direction."""
    return " ← " if lang == "ar" else " → "


def change_text(old_status, old_progress, new_status, new_progress, lang: str) -> html.Span:
    """"In progress, 30 % → Completed, 100 %"."""
    statuses = labels.measure_status()
    new = f"{statuses.get(new_status, new_status)}{_comma(lang)}{fmt_percent(new_progress, lang)}"
    if old_status is None:
        return html.Span(new)
    old = f"{statuses.get(old_status, old_status)}{_comma(lang)}{fmt_percent(old_progress, lang)}"
    return html.Span([html.Bdi(old), arrow(lang), html.Bdi(new)])


def breakdown_text(key: str, categories: dict[str, str] | None = None) -> str:
    """"Sex: Female, Nationality: Foreign" from a stored key "sex=female;nationality=foreign";
    ``categories`` names the categories (default: the vocabulary, without region names)."""
    if not key:
        return _("Total")
    dimensions = labels.disaggregation()
    categories = categories if categories is not None else labels.disaggregation_value()
    cells = (part.partition("=") for part in key.split(";") if part)
    return ", ".join(f"{dimensions.get(dim, dim)}: {categories.get(cat, cat)}" for dim, _sep, cat in cells)


def _comma(lang: str) -> str:
    return "، " if lang == "ar" else ", "


def proposal_text(row: dict, lang: str) -> str:
    """What a submission proposes, in one line: a measure's status and progress, or a value."""
    if row["kind"] == "measure_update":
        status = labels.measure_status().get(row["status"], row["status"])
        return f"{status}{_comma(lang)}{fmt_percent(row['progress'], lang)}"
    if row["kind"] == "rollout_update":
        stage = labels.rollout_stage().get(row["stage"], row["stage"])
        return f"{stage}{_comma(lang)}{fmt_date(row['started_on'], lang)}"
    period = row["year"] if row["kind"] == "statistic" else row["period"]
    return f"{period} · {breakdown_text(row['breakdown'])}: {fmt_value(row['value'], row['unit'], lang)}"


def submission_target(row: dict) -> tuple[str, str]:
    """(label, address) of the page where a submission is made and edited."""
    if row["kind"] == "measure_update":
        return f"{code_label(row['measure'])} · {row['measure_name']}", f"/measures/{row['measure']}"
    if row["kind"] == "statistic":
        series = labels.statistic_series().get(row["series"], row["series"])
        return f"{code_label(row['publisher'])} · {series}", "/statistics/report"
    if row["kind"] == "rollout_update":
        return f"{code_label(row['region'])} · {row['region_name']}", f"/regions/{row['region']}"
    return f"{code_label(row['indicator'])} · {row['indicator_name']}", f"/indicators/{row['indicator']}"


def facts(rows: list[tuple[str, object]]) -> html.Dl:
    items = []
    for term, value in rows:
        items.append(html.Dt(term, className="col-sm-4 text-body-secondary fw-normal"))
        items.append(html.Dd(value, className="col-sm-8 mb-1"))
    return html.Dl(items, className="row small mb-2")


def update_summary(row: dict, lang: str) -> html.Div:
    """A measure update as the worklists give it: what it proposes, by whom, with what."""
    return html.Div([
        facts([
            (_("State"), state_badge(row["state"])),
            (_("Proposed change"), change_text(row["previous_status"], row["previous_progress"],
                                               row["status"], row["progress"], lang)),
            (_("Reporting period"), period_text(row["period_start"], row["period_end"], lang)),
            (_("Submitted by"), row["submitted_by"]),
            (_("Submitted on"), fmt_datetime(row["submitted_at"], lang)),
        ]),
        html.H3(_("What was done"), className="h6"),
        narratives(row["narratives"]),
        html.H3(_("Evidence"), className="h6 mt-2"),
        evidence_list(row["evidence"], lang),
    ])


def return_reason(reason: str) -> html.Div:
    """The secretariat's reason for returning a submission, set apart so it is read first."""
    return html.Div([
        html.Div(_("Reason given by the secretariat"), className="fw-semibold"),
        user_text(reason, className="mb-0"),
    ], className="alert alert-warning mb-3", role="note")


# --- the measure page's "Report progress" card --------------------------------------------------

REPORT = "measure-report"  # prefix of the form's component ids


# The error slots of the report form: slot -> the service's field names shown there.
REPORT_SLOTS = {"status": ("status",), "progress": ("progress",), "period": ("period",),
                "narrative": ("narrative",), "links": ("links",),
                "evidence": ("files", "evidence", "remove_evidence")}


def report_form(measure, lang: str, as_of: dt.date, returned: dict | None = None,
                thread: html.Section | None = None) -> html.Div:
    """The progress report form; prefilled with a returned update when there is one, whose
    evidence can be ticked for removal. Each field has a slot for its errors."""
    statuses = labels.measure_status()
    source = returned or {}
    texts = source.get("narratives", {})
    update = {"id": returned["id"], "version": returned["version"]} if returned else None
    names = language_names()

    def field(label: str, control, field_id: str, hint: str | None = None, width: str = "col-12",
              slot: str | None = None):
        parts = [html.Label(label, htmlFor=field_id, className="form-label")]
        parts.append(control)
        if hint:
            parts.append(html.Div(hint, className="form-text"))
        if slot:
            parts.append(error_slot(REPORT, slot))
            return html.Div(parts, className=width, role="group", **described(REPORT, slot))
        return html.Div(parts, className=width)

    def narrative(code: str) -> html.Div:
        field_id = f"{REPORT}-narrative-{code}"
        return field(
            _("What was done, in %(language)s", language=names[code]),
            dcc.Textarea(id=field_id, value=texts.get(code, ""), rows=4, maxLength=5000, lang=code,
                         dir="rtl" if code == "ar" else "ltr", className="form-control"),
            field_id, width="col-lg-4",
        )

    def date_picker(suffix: str, value) -> dcc.DatePickerSingle:
        return dcc.DatePickerSingle(
            id=f"{REPORT}-period-{suffix}", date=value.isoformat() if value else None,
            # Months and days come from the page's date-fns locale (assets/date_picker_locale.js).
            display_format="YYYY-MM-DD", placeholder=_("YYYY-MM-DD"), month_format="MMMM YYYY",
            max_date_allowed=as_of.isoformat(), first_day_of_week=1, is_RTL=lang == "ar", clearable=True,
        )

    children = [
        dcc.Store(id=f"{REPORT}-code", data=measure.code),
        dcc.Store(id=f"{REPORT}-base-version", data=measure.version),
        dcc.Store(id=f"{REPORT}-update", data=update),
    ]
    if returned:
        children += [
            html.P(_("The secretariat returned your last update. Edit it and send it again."),
                   className="fw-semibold"),
            return_reason(returned["return_reason"]),
        ]
        if returned["evidence"]:
            # What was attached before stays attached, unless ticked for removal.
            children += [html.Div(_("Evidence already attached (it stays attached; add more if needed):"),
                                  className="small"),
                         html.Div(evidence_list(returned["evidence"], lang), className="mb-2"),
                         html.Div([
                             html.Div(_("Remove evidence when sending again (tick what is wrong):"),
                                      className="small", id=f"{REPORT}-remove-evidence-label"),
                             dcc.Checklist(id=f"{REPORT}-remove-evidence", value=[], options=[
                                 {"label": " " + (item["filename"] or _("File") if item["kind"] == "file"
                                                  else item["url"]), "value": item["id"]}
                                 for item in returned["evidence"]],
                                 className="small", inputClassName="form-check-input me-1",
                                 labelClassName="d-block text-break"),
                         ], className="mb-3", role="group",
                             **{"aria-labelledby": f"{REPORT}-remove-evidence-label"})]
        if thread is not None:
            children.append(thread)
    if not (returned and returned["evidence"]):
        # The submit callback reads the ticks in every case: nothing to tick here.
        children.append(dcc.Checklist(id=f"{REPORT}-remove-evidence", options=[], value=[],
                                      style={"display": "none"}))
    children.append(html.Div([
        field(_("Status"), dbc.Select(id=f"{REPORT}-status", value=source.get("status", measure.status),
                                      options=[{"label": label, "value": code} for code, label in statuses.items()]),
              f"{REPORT}-status", width="col-sm-6 col-lg-3", slot="status"),
        field(_("Progress (%)"), dcc.Input(id=f"{REPORT}-progress", type="number", min=0, max=100, step=1,
                                           value=source.get("progress", measure.progress), className="form-control"),
              f"{REPORT}-progress", _("A whole number from 0 to 100."), width="col-sm-6 col-lg-3",
              slot="progress"),
        html.Div([
            html.Div(_("Reporting period (required)"), className="form-label"),
            html.Div([
                html.Div([html.Div(_("From"), className="form-text"),
                          date_picker("start", source.get("period_start"))]),
                html.Div([html.Div(_("To"), className="form-text"),
                          date_picker("end", source.get("period_end"))]),
            ], className="d-flex flex-wrap gap-3"),
            error_slot(REPORT, "period"),
        ], className="col-lg-6", role="group", **{"aria-label": _("Reporting period")}, **described(REPORT, "period")),
        html.Div([
            html.P(_("Describe what was done in at least one language (required)."), className="mb-0 small"),
            error_slot(REPORT, "narrative"),
        ], className="col-12"),
        *[narrative(code) for code in NARRATIVE_LANGS],
        html.P(_("Give at least one piece of evidence: a link, a file, or both."),
               className="col-12 mb-0 small"),
        field(_("Links to evidence"),
              dcc.Textarea(id=f"{REPORT}-links", value="", rows=3, maxLength=5000, dir="ltr",
                           className="form-control"),
              f"{REPORT}-links", _("One web address per line, starting with https://."), width="col-lg-6",
              slot="links"),
        html.Div([*evidence_upload(REPORT), error_slot(REPORT, "evidence")], className="col-lg-6", role="group",
                 **described(REPORT, "evidence")),
        html.Div(html.Button(_("Submit for review"), id=f"{REPORT}-submit", n_clicks=0, type="button",
                             className="btn btn-primary"), className="col-12"),
    ], className="row g-3"))
    return html.Div(children)


def pending_notice(pending: dict, lang: str, thread: html.Section | None = None) -> html.Div:
    """The update waiting for review, with a button to withdraw it (after a confirmation)."""
    return html.Div([
        html.P(_("Your update is waiting for the secretariat's review. You can send another one "
                 "once it has been approved or returned, or withdraw it now."), className="fw-semibold"),
        update_summary(pending, lang),
        dcc.Store(id=f"{REPORT}-pending", data={"id": pending["id"], "version": pending["version"]}),
        dcc.ConfirmDialogProvider(
            html.Button(_("Withdraw this update"), type="button", className="btn btn-outline-danger btn-sm mt-2"),
            id=f"{REPORT}-withdraw",
            message=_("Withdraw this update? The secretariat will no longer review it, and you can send a "
                      "new one."),
        ),
        thread,
    ])


def report_body(session, actor: Actor, measure, lang: str, as_of: dt.date) -> html.Div:
    """What the lead entity's focal point sees: the pending update (to withdraw), or the
    form; with the comment thread of the pending or returned update."""
    pending = worklists.pending_update_for(session, actor, measure, lang)
    if pending is not None:
        return pending_notice(pending, lang, comment_thread(session, actor, "measure_update", pending["id"], lang))
    returned = worklists.returned_update_for(session, actor, measure, lang)
    thread = comment_thread(session, actor, "measure_update", returned["id"], lang) if returned else None
    return report_form(measure, lang, as_of, returned, thread)


def report_card(session, actor: Actor, measure, lang: str, as_of: dt.date) -> html.Section | None:
    if not allowed(actor, "submit_measure_update", measure):
        return None
    return html.Section(
        html.Div([
            html.H2(_("Report progress"), className="h5"),
            html.P(_("Your update is checked by the secretariat before it counts in the plan's progress."),
                   className="small text-body-secondary"),
            html.Div(id=f"{REPORT}-feedback"),
            html.Div(report_body(session, actor, measure, lang, as_of), id=f"{REPORT}-body"),
        ], className="card-body"),
        className="card shadow-sm mb-3", id=REPORT,
    )


# --- the review queue's cards ---------------------------------------------------------------


def review_id(part: str, row: dict) -> dict:
    """Pattern-matching id of one part of a submission's review card."""
    return {"type": f"review-{part}", "kind": row["kind"], "id": row["id"]}


def diff_table(rows: list[tuple[str, str, str]]) -> html.Div:
    """(field, current value, proposed value) rows; a changed value is set in bold."""
    header = html.Thead(html.Tr([html.Th(_("Field")), html.Th(_("Current value")), html.Th(_("Proposed value"))]))
    body = html.Tbody([
        html.Tr([html.Th(name, scope="row", className="fw-normal"), html.Td(old),
                 html.Td(new, className="fw-semibold" if old != new else None)])
        for name, old, new in rows
    ])
    return html.Div(html.Table([header, body], className="table table-sm align-middle mb-2"),
                    className="table-responsive")


def _measure_update_body(row: dict, lang: str) -> list:
    statuses = labels.measure_status()
    diff = [
        (_("Status") if name == "status" else _("Progress"),
         statuses.get(old, old) if name == "status" else fmt_percent(old, lang),
         statuses.get(new, new) if name == "status" else fmt_percent(new, lang))
        for name, old, new in worklists.update_diff(row)
    ]
    parts = []
    if row["stale"]:
        parts.append(html.Div(
            _("The measure changed after this update was written: it cannot be approved as it is. "
              "Return it so that the focal point can check it against the current values."),
            className="alert alert-warning py-2", role="note"))
    parts += [
        facts([
            (_("Lead entity"), dcc.Link(row["lead"], href=f"/entities/{row['lead']}")),
            (_("Submitted by"), row["submitted_by"]),
            (_("Submitted on"), fmt_datetime(row["submitted_at"], lang)),
            (_("Reporting period"), period_text(row["period_start"], row["period_end"], lang)),
        ]),
        diff_table(diff),
        html.H3(_("What was done"), className="h6"),
        narratives(row["narratives"]),
    ]
    return parts


def _value_body(details: list[tuple[str, object]], row: dict, lang: str) -> list:
    """A proposed value against the published one, with what identifies it and the note."""
    return [
        facts([*details, (_("Submitted by"), row["submitted_by"]),
               (_("Submitted on"), fmt_datetime(row["submitted_at"], lang))]),
        diff_table([(_("Value"), fmt_value(row["previous_value"], row["unit"], lang),
                     fmt_value(row["value"], row["unit"], lang))]),
        html.H3(_("Note"), className="h6"),
        user_text(row["note"]),
    ]


def _indicator_value_body(row: dict, lang: str) -> list:
    return _value_body([(_("Period"), row["period"]), (_("Disaggregation"), breakdown_text(row["breakdown"]))],
                       row, lang)


def _statistic_body(row: dict, lang: str) -> list:
    return [*_value_body([
        (_("Publisher"), dcc.Link(row["publisher"], href=f"/entities/{row['publisher']}")),
        (_("Year"), str(row["year"])),
        (_("Breakdown"), breakdown_text(row["breakdown"])),
        (_("Source"), user_text(row["document"], className="mb-0")),
    ], row, lang), *_statistic_checks(row, lang)]


def _signed(value: float, text: str) -> str:
    return f"+{text}" if value > 0 else text


def _statistic_checks(row: dict, lang: str) -> list:
    """The checks the reviewer reads before deciding: the figure against the published table
    (approval is refused while it contradicts it), and its change from the year before."""
    if "findings" not in row:
        return []
    if row["findings"]:
        consistency = html.Div([
            html.Div(_("It contradicts the published figures: it cannot be approved as it is."),
                     className="fw-semibold"),
            html.Ul([html.Li(text) for text in row["findings"]], className="mb-0"),
        ], className="alert alert-danger py-2 mb-2", role="note")
    else:
        consistency = html.Div([
            html.Span(_("Consistent"), className="badge text-bg-success me-2"),
            _("No published figure of the same body, series and year contradicts it."),
        ], className="mb-2 small")
    change = row["year_on_year"]
    if change["previous_value"] is None:
        text = _("No published figure for %(year)s: the change cannot be checked.", year=change["previous_year"])
    elif change["ratio"] is None:
        text = _("%(change)s from %(previous)s", change=_signed(change["change"], fmt_number(change["change"], lang)),
                 previous=fmt_number(change["previous_value"], lang))
    else:
        text = _("%(change)s (%(percent)s) from %(previous)s",
                 change=_signed(change["change"], fmt_number(change["change"], lang)),
                 percent=_signed(change["ratio"], fmt_percent(change["ratio"] * 100, lang, 1)),
                 previous=fmt_number(change["previous_value"], lang))
    flag = None
    if change["flagged"]:
        flag = html.Span(_("Check the figure") if change["previous_value"] is None else
                         _("Change above %(share)s: check the figure", share=fmt_percent(CHANGE_FLAG * 100, lang)),
                         className="badge text-bg-warning ms-2")
    return [
        html.H3(_("Checks"), className="h6 mt-2"),
        html.Div([
            consistency,
            facts([(_("Change from %(year)s", year=change["previous_year"]), html.Span([text, flag]))]),
        ], id=f"review-checks-{row['kind']}-{row['id']}"),
    ]


def _rollout_body(row: dict, lang: str) -> list:
    stages = labels.rollout_stage()
    return [
        facts([
            (_("Date the stage began"), fmt_date(row["started_on"], lang)),
            (_("Submitted by"), row["submitted_by"]),
            (_("Submitted on"), fmt_datetime(row["submitted_at"], lang)),
        ]),
        diff_table([(_("Stage"), stages.get(row["previous_stage"], row["previous_stage"]),
                     stages.get(row["stage"], row["stage"]))]),
        html.H3(_("Note"), className="h6"),
        user_text(row["note"]),
    ]


def review_actions(row: dict) -> list:
    """The reason box and the two decisions (the secretariat only)."""
    # The label wraps its box: a pattern-matching id cannot be named by htmlFor.
    return [
        html.Label([
            html.Span(_("Reason for returning it (the focal point reads it)"), className="form-label small d-block"),
            dcc.Textarea(id=review_id("reason", row), rows=2, maxLength=2000, className="form-control mb-2",
                         value=""),
        ], className="w-100"),
        html.Div([
            html.Button(_("Approve"), id=review_id("approve", row), n_clicks=0, type="button",
                        className="btn btn-success btn-sm"),
            html.Button(_("Return"), id=review_id("return", row), n_clicks=0, type="button",
                        className="btn btn-outline-danger btn-sm"),
        ], className="d-flex gap-2"),
    ]


def resubmission_note(row: dict, lang: str) -> html.Div | None:
    """For a submission sent again: why it was returned, and what the focal point changed since."""
    again = row.get("resubmission")
    if not again:
        return None
    names = {"status": _("Status"), "progress": _("Progress"), "period": _("Reporting period"),
             "narrative": _("What was done"), "value": _("Value"), "note": _("Note"),
             "breakdown": _("Disaggregation")}
    statuses = labels.measure_status()

    def shown(name: str, value) -> str:
        if value is None or value == "":
            return "—"
        if name == "status":
            return statuses.get(value, value)
        if name == "narrative" and isinstance(value, dict):
            return " / ".join(str(text)[:120] for text in value.values())
        return str(value)

    changes = [html.Li([names.get(name, name), ": ", html.Bdi(shown(name, old)), arrow(lang),
                        html.Strong(html.Bdi(shown(name, new)))]) for name, old, new in again["changes"]]
    return html.Div([
        html.Div([html.Strong(_("Sent again after it was returned for: ")), again["reason"]]),
        html.Div(_("Changed since:")) if changes else html.Div(_("Nothing was changed since it was returned.")),
        html.Ul(changes, className="mb-0") if changes else None,
    ], className="alert alert-secondary py-2 small mt-2 mb-0", role="note")


def review_card(row: dict, lang: str, can_review: bool, thread: html.Section | None = None) -> html.Section:
    """One submission in the review queue; ``thread``: its comments, where the reader may see them."""
    label, href = submission_target(row)
    body = {"measure_update": _measure_update_body, "indicator_value": _indicator_value_body,
            "statistic": _statistic_body, "rollout_update": _rollout_body}[row["kind"]](row, lang)
    children = [
        html.H3([dcc.Link(label, href=href), " ", html.Span(state_badge(row["state"]), id=review_id("state", row))],
                className="h6"),
        resubmission_note(row, lang),
        *body,
    ]
    if row["kind"] in ("measure_update", "indicator_value"):
        children += [html.H3(_("Evidence"), className="h6 mt-2"), evidence_list(row["evidence"], lang)]
    if thread is not None:
        children.append(thread)
    if can_review:
        children += [
            dcc.Store(id=review_id("version", row), data=row["version"]),
            html.Hr(),
            html.Div(id=review_id("feedback", row)),
            html.Div(review_actions(row), id=review_id("actions", row)),
        ]
    return html.Section(html.Div(children, className="card-body"), className="card shadow-sm mb-3",
                        id=f"review-{row['kind']}-{row['id']}")


def section_page(actor: Actor, lang: str, section: str, queue: worklists.QueuePage, session=None) -> list:
    """One page of a review-queue section's cards, with its pager when there are several; with
    a session, each measure update and indicator value carries its comment thread."""
    can_review = allowed(actor, "review")
    children = [review_card(row, lang, can_review,
                            comment_thread(session, actor, row["kind"], row["id"], lang) if session is not None
                            and row["kind"] in ("measure_update", "indicator_value") else None)
                for row in queue["rows"]]
    if queue["pages"] > 1:
        children.append(pager({"type": "review-page", "kind": section}, queue["page"], queue["pages"], lang))
    return children


def due_labels() -> dict[str, tuple[str, str]]:
    """Due state -> (label, badge classes), for /my."""
    return {
        "overdue": (_("Overdue"), "text-bg-danger"),
        "due": (_("Due soon"), "text-bg-warning"),
        "ok": (_("Up to date"), "text-bg-light"),
        "closed": (_("Closed"), "text-bg-light"),
    }


def inbox_grid_rows(rows: list[dict], lang: str) -> list[dict]:
    """One page of ``worklists.inbox_measure_page`` as /my's measures grid shows it."""
    statuses, due = labels.measure_status(), due_labels()
    waiting = _("Waiting for review")
    return [
        {
            "code": f"[{r['code']}](/measures/{r['code']})",
            "name": r["name"],
            "status": statuses.get(r["status"], r["status"]),
            "progress": r["progress"],
            "updated": fmt_date(r["last_updated"], lang),
            "next": " · ".join([due.get(r["due_state"], (r["due_state"], ""))[0]]
                               + ([waiting] if r["pending"] else [])),
            "late": r["due_state"] == "overdue",
        }
        for r in rows
    ]


def inbox_grid(lang: str) -> dag.AgGrid:
    """The measures a focal point's entity leads, a page at a time from the server."""
    columns = [
        {"field": "code", "headerName": _("Code"), "cellRenderer": "markdown", "width": 120,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "name", "headerName": _("Measure"), "flex": 3, "minWidth": 220, "wrapText": True,
         "autoHeight": True},
        {"field": "status", "headerName": _("Status"), "width": 140},
        {"field": "progress", "headerName": _("Progress"), "width": 120, "type": "numericColumn",
         "filter": "agNumberColumnFilter"},
        {"field": "updated", "headerName": _("Last update"), "width": 140, "filter": False},
        {"field": "next", "headerName": _("Next update"), "width": 200, "filter": False, "wrapText": True,
         "cellClassRules": {"text-danger fw-semibold": "params.data && params.data.late"}},
    ]
    return data_grid("my-measures-grid", [], columns, lang, height=480, page_size=20, infinite=True)


def inbox_indicator_rows(rows: list[dict], lang: str) -> list[dict]:
    """One page of ``worklists.inbox_indicator_page`` as /my's indicators grid shows it."""
    frequencies = labels.frequency()
    return [
        {
            "code": f"[{r['code']}](/indicators/{r['code']})",
            "name": r["name"],
            "frequency": frequencies.get(r["frequency"], r["frequency"]),
            "period": r["latest_period"] or "–",
            "reported": fmt_date(r["last_reported_on"], lang),
        }
        for r in rows
    ]


def inbox_indicator_grid(lang: str) -> dag.AgGrid:
    """The indicators a focal point's entity reports on, a page at a time from the server."""
    columns = [
        {"field": "code", "headerName": _("Code"), "cellRenderer": "markdown", "width": 130,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "name", "headerName": _("Indicator"), "flex": 3, "minWidth": 220, "wrapText": True,
         "autoHeight": True},
        {"field": "frequency", "headerName": _("Frequency"), "width": 150},
        {"field": "period", "headerName": _("Latest period"), "width": 140},
        {"field": "reported", "headerName": _("Last reported"), "width": 150, "filter": False},
    ]
    return data_grid("my-indicators-grid", [], columns, lang, height=420, page_size=20, infinite=True)
