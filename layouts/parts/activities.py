"""Parts of the activities pages that their callback re-renders: KPIs, charts and cards.

Participants are shown only where a source states them: an activity without a figure
reads "not stated", and every total says how many activities it covers.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_interval, format_skeleton
from dash import dcc, html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard import labels
from dashboard.i18n import (
    DATE_LOCALES,
    fmt_date,
    fmt_list,
    fmt_number,
)
from dashboard.national import activities, geo
from layouts.charts.activities import KIND_COLORS, count_bars, timeline_figure
from layouts.components import card, data_downloads, graph, kpi_card, list_page, pager
from layouts.parts.citations import cited

FILTERS = ("kind", "year", "region", "country", "entity", "q")


# --- labels -------------------------------------------------------------------------------


def kind_labels() -> dict[str, str]:
    return labels.activity_kind()


def profession_labels() -> dict[str, str]:
    return {
        "judges": _("Judges"),
        "prosecutors": _("Prosecutors"),
        "police": _("Police officers"),
        "gendarmerie": _("Gendarmes"),
        "labour_inspectors": _("Labour inspectors"),
        "social_workers": _("Social workers"),
        "health_staff": _("Health staff"),
        "civil_society": _("Civil-society members"),
        "other": _("Others"),
    }


@lru_cache(maxsize=1024)
def fmt_period(start: dt.date | None, end: dt.date | None, precision: str, lang: str) -> str:
    """When an activity took place, as precisely as its source says: "13–17 mai 2024",
    "mai 2023" or "2021"."""
    if start is None:
        return "–"
    end = end or start
    locale = DATE_LOCALES[lang]
    if precision == "year":
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if precision == "month":
        if (start.year, start.month) == (end.year, end.month):
            return format_skeleton("yMMMM", start, locale=locale)
        return format_interval(start, end, "yMMM", locale=locale)
    if start == end:
        return fmt_date(start, lang)
    return format_interval(start, end, "yMMMd", locale=locale)


def where_text(row: dict) -> str:
    """"Rabat · Rabat-Salé-Kénitra", "Vienne · Autriche": the place, then its region in
    Morocco or its country abroad."""
    area = row["country_name"] if row["abroad"] else (row["region_name"] or row["country_name"])
    return " · ".join(part for part in dict.fromkeys((row["place"], area)) if part)


# --- filters ------------------------------------------------------------------------------


def activity_filter(values: dict) -> activities.ActivityFilter:
    """Filter values from the page (empty string = all) as a service filter."""
    year = str(values.get("year") or "")
    return activities.ActivityFilter(
        kind=values.get("kind") or None,
        year=int(year) if year.isdigit() else None,
        region=values.get("region") or None,
        country=values.get("country") or None,
        entity=values.get("entity") or None,
        text=(values.get("q") or "").strip()[:100] or None,
    )


def filter_options(session, lang: str) -> dict[str, list[dict]]:
    facets = activities.facets(session, lang)
    regions = geo.region_names(session, lang)
    return {
        "kind": [{"label": label, "value": kind} for kind, label in kind_labels().items()],
        "year": [{"label": str(year), "value": str(year)} for year in facets["years"]],
        "region": [{"label": f"{code} · {name}", "value": code} for code, name in sorted(regions.items())]
        + [{"label": _("Abroad"), "value": activities.ABROAD}],
        "country": [{"label": name, "value": code} for code, name in facets["countries"]],
        "entity": [{"label": f"{acronym} · {name}", "value": acronym}
                   for acronym, name in facets["entities"]],
    }


def summary_line(rows: list[dict], lang: str) -> str:
    abroad = sum(1 for r in rows if r["abroad"])
    return ngettext("%(count)s activity · %(morocco)s in Morocco · %(abroad)s abroad",
                    "%(count)s activities · %(morocco)s in Morocco · %(abroad)s abroad",
                    len(rows), count=fmt_number(len(rows), lang),
                    morocco=fmt_number(len(rows) - abroad, lang), abroad=fmt_number(abroad, lang))


# --- KPIs ---------------------------------------------------------------------------------


def _known_total(totals: dict, lang: str) -> str:
    return fmt_number(totals["total"], lang) if totals["total"] is not None else _("Not known")


def kpis(rows: list[dict], lang: str) -> html.Div:
    abroad = sum(1 for r in rows if r["abroad"])
    regions = {r["region"] for r in rows if r["region"]}
    people = activities.participant_totals(rows)
    trainings = [r for r in rows if r["kind"] == "training"]
    trained = activities.participant_totals(trainings)
    cards = [
        kpi_card(_("Activities"), fmt_number(len(rows), lang),
                 _("%(morocco)s in Morocco, %(abroad)s abroad",
                   morocco=fmt_number(len(rows) - abroad, lang), abroad=fmt_number(abroad, lang)),
                 "bi-calendar-event", "activities-kpi-total"),
        kpi_card(_("Regions reached"), fmt_number(len(regions), lang),
                 _("of the 12 regions of Morocco"), "bi-geo-alt", "activities-kpi-regions"),
        kpi_card(_("Participants, where known"), _known_total(people, lang),
                 _("stated for %(known)s of %(count)s activities",
                   known=fmt_number(people["with_total"], lang), count=fmt_number(len(rows), lang)),
                 "bi-people", "activities-kpi-participants"),
        kpi_card(_("People trained, where known"), _known_total(trained, lang),
                 _("stated for %(known)s of %(count)s trainings",
                   known=fmt_number(trained["with_total"], lang),
                   count=fmt_number(len(trainings), lang)),
                 "bi-mortarboard", "activities-kpi-trained"),
    ]
    return html.Div([html.Div(c, className="col") for c in cards],
                    className="row row-cols-1 row-cols-sm-2 row-cols-xl-4 g-3 mb-3")


def participants_note(rows: list[dict], lang: str) -> html.P:
    """Participants by sex and profession where sources give them, and what is unknown."""
    people = activities.participant_totals(rows)
    parts = []
    if people["with_sex"]:
        parts.append(ngettext("%(women)s women and %(men)s men (in %(count)s activity)",
                              "%(women)s women and %(men)s men (in %(count)s activities)",
                              people["with_sex"], women=fmt_number(people["female"], lang),
                              men=fmt_number(people["male"], lang),
                              count=fmt_number(people["with_sex"], lang)))
    names = profession_labels()
    if people["by_profession"]:
        parts.append(fmt_list([f"{names.get(p, p)}: {fmt_number(n, lang)}"
                               for p, n in people["by_profession"].items()], lang))
    unknown = people["activities"] - people["with_total"]
    if unknown:
        parts.append(ngettext(
            "The source does not state the participants of %(count)s activity: they are not "
            "counted, not taken as zero.",
            "The sources do not state the participants of %(count)s activities: they are not "
            "counted, not taken as zero.", unknown, count=fmt_number(unknown, lang)))
    return html.P(" · ".join(parts), className="small text-body-secondary mb-3",
                  id="activities-participants-note")


# --- charts -------------------------------------------------------------------------------


def _bars(graph_id: str, cells: list[tuple[str, int]], lang: str, title: str) -> html.Div:
    shown = [(label, n, fmt_number(n, lang)) for label, n in cells]
    figure = count_bars(shown, lang, title)
    return graph(graph_id, figure,
                 f"{title}: " + "; ".join(f"{label} {text}" for label, _n, text in shown))


def _timeline_hover(lang: str):
    """The hover text of an activity on the timeline: title, dates and place."""
    return lambda r: (f"<b>{r['title'][:90]}</b><br>"
                      f"{fmt_period(r['start'], r['end'], r['precision'], lang)}<br>{where_text(r)}")


def charts_block(session, rows: list[dict], lang: str,
                 filters: activities.ActivityFilter | None = None) -> html.Div:
    """Counts by kind, by year and by region (abroad included), then the timeline; the
    activities they count as files, for the same filters."""
    filters = filters or activities.ActivityFilter()
    kinds = kind_labels()
    regions = geo.region_names(session, lang)
    region_counts = activities.counts_by_region(rows, sorted(regions))
    place_names = {**regions, activities.NATIONAL: _("Morocco, national"),
                   activities.ABROAD: _("Abroad")}
    by_kind = [(kinds[k], n) for k, n in activities.counts_by_kind(rows).items()]
    by_year = [(str(y), n) for y, n in activities.counts_by_year(rows).items()]
    by_region = [(place_names[k], n) for k, n in region_counts.items()]
    blocks = [
        (_("Activities by kind"), _bars("activities-by-kind", by_kind, lang, _("Activities by kind"))),
        (_("Activities by year"), _bars("activities-by-year", by_year, lang, _("Activities by year"))),
        (_("Activities by region"),
         _bars("activities-by-region", by_region, lang, _("Activities by region"))),
    ]
    title = _("Timeline of activities")
    timeline = graph("activities-timeline", timeline_figure(rows, lang, kinds, _timeline_hover(lang)),
                     f"{title}: " + "; ".join(
                         f"{fmt_period(r['start'], r['end'], r['precision'], lang)} {r['title']}"
                         for r in rows))
    return html.Div(
        [html.Div(card(name, body), className="col-lg-4") for name, body in blocks]
        + [html.Div(card(title, html.Div([timeline, data_downloads(
            "activities", lang, kind=filters.kind, year=filters.year, region=filters.region,
            country=filters.country, entity=filters.entity, q=filters.text)])), className="col-12")],
        className="row g-3 mb-3",
    )


# --- cards --------------------------------------------------------------------------------


def kind_badge(kind: str) -> html.Span:
    return html.Span(kind_labels().get(kind, kind), className="badge",
                     style={"backgroundColor": KIND_COLORS.get(kind, "#6c757d")})


def _entity_links(entities: list[dict]) -> list:
    if not entities:
        return ["–"]
    links = []
    for i, entity in enumerate(entities):
        if i:
            links.append(", ")
        links.append(dcc.Link(entity["acronym"], href=f"/entities/{entity['acronym']}",
                              title=entity["name"]))
    return links


def participants_text(participants: dict, lang: str) -> str:
    if participants["total"] is None:
        return _("Not stated by the source")
    parts = [ngettext("%(count)s participant", "%(count)s participants", participants["total"],
                      count=fmt_number(participants["total"], lang))]
    if participants["male"] is not None and participants["female"] is not None:
        parts.append(_("%(women)s women, %(men)s men", women=fmt_number(participants["female"], lang),
                       men=fmt_number(participants["male"], lang)))
    names = profession_labels()
    if participants["by_profession"]:
        parts.append(fmt_list([f"{names.get(p, p)}: {fmt_number(n, lang)}"
                               for p, n in participants["by_profession"].items()], lang))
    return " · ".join(parts)


def _fact(label: str, value) -> list:
    return [html.Dt(label, className="col-sm-3 text-body-secondary fw-normal"),
            html.Dd(value, className="col-sm-9 mb-1")]


def activity_card(row: dict, lang: str, with_title: bool = True) -> html.Article:
    """One activity: kind, title (a link to its page), when and where, who, participants,
    measures, documents. ``with_title=False`` is for its own page, whose heading is the title."""
    badges = [kind_badge(row["kind"])]
    if row["is_demo"]:
        badges.append(html.Span(_("Demonstration data"), className="badge text-bg-warning demo-badge"))
    measures = [html.Li(dcc.Link(f"{m['code']} · {m['name']}", href=f"/measures/{m['code']}"))
                for m in row["measures"]]
    documents = [html.Li(html.A([r["title"] or r["url"],
                                 html.I(className="bi bi-box-arrow-up-right ms-1",
                                        **{"aria-hidden": "true"})],
                                href=r["url"], target="_blank", rel="noopener noreferrer"))
                 for r in row["documents"]]
    facts = (
        _fact(_("Organisers"), _entity_links(row["organisers"]))
        + _fact(_("Partners"), _entity_links(row["partners"]))
        + _fact(_("Participants"), participants_text(row["participants"], lang))
    )
    if measures:
        facts += _fact(_("Measures served"), html.Ul(measures, className="list-unstyled mb-0"))
    if documents:
        facts += _fact(_("Documents"), html.Ul(documents, className="list-unstyled mb-0"))
    return html.Article(
        html.Div(
            [
                html.Div(badges, className="d-flex flex-wrap gap-2 mb-2"),
                html.H3(dcc.Link(row["title"], href=f"/activities/{row['code']}"),
                        className="h6 mb-2") if with_title else None,
                html.Div([html.I(className="bi bi-calendar-event me-2", **{"aria-hidden": "true"}),
                          fmt_period(row["start"], row["end"], row["precision"], lang)],
                         className="small mb-1"),
                html.Div([html.I(className="bi bi-geo-alt me-2", **{"aria-hidden": "true"}),
                          where_text(row)], className="small mb-2"),
                html.P(row["summary"], className="small mb-2") if row["summary"] else None,
                html.Dl(facts, className="row small mb-2"),
                html.Div([_("Source"), ": ", cited(row["source"])],
                         className="small text-body-secondary"),
            ],
            className="card-body",
        ),
        className="card shadow-sm h-100 activity-card",
        id=f"activity-{row['code']}",
    )


def activity_list(rows: list[dict], lang: str) -> html.Div:
    if not rows:
        return html.P(_("No activities match these filters"), className="text-body-secondary")
    return html.Div(activity_page(rows, lang), id="activities-list-page")


ACTIVITIES_PAGE = 12  # cards a page: each card is a rich one (facts, links, sources)


def activity_page(rows: list[dict], lang: str, page: object = 0) -> list:
    """One page of activity cards, and the pager when there are more."""
    shown, page, pages = list_page(rows, page, ACTIVITIES_PAGE)
    return [
        html.Div([html.Div(activity_card(r, lang), className="col") for r in shown],
                 className="row row-cols-1 row-cols-xl-2 g-3"),
        pager({"type": "activities-page"}, page, pages, lang) if pages > 1 else None,
    ]


def measures_note() -> html.P:
    return html.P(
        [html.I(className="bi bi-info-circle me-2", **{"aria-hidden": "true"}),
         _("Links between activities and plan measures are illustrative: the official text of "
           "the plan is not public and the measures shown come from an illustrative structure.")],
        className="small text-body-secondary", id="activities-measures-note",
    )
