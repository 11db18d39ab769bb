"""Parts of the regions pages: the rollout map (drawn from the region outlines on plain axes,
without tiles or any outside request), its card-grid fallback, the table of regions and the
blocks of a region's page."""
from __future__ import annotations

from dash import dcc, html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_number, fmt_value
from dashboard.national.geo import Outline
from layouts.charts.regions import STAGE_STYLES, rollout_map
from layouts.components import LIST_PAGE, graph, more_link
from layouts.parts.activities import fmt_period, kind_labels
from layouts.parts.citations import cited
from layouts.parts.indicators import small_label
from layouts.parts.organisations import kind_names, service_names

LINK = {"target": "_blank", "rel": "noopener noreferrer"}


def stage_names() -> dict[str | None, str]:
    return {**labels.rollout_stage(), None: _("No report yet")}


def body_kind() -> dict[str, str]:
    return {"committee": _("Coordination committee"), "cell": _("Referral cell"),
            "unit": _("Reception and support unit")}


# --- small pieces -----------------------------------------------------------------------


def stage_badge(stage: str | None, badge_id: str | None = None) -> html.Span:
    style = STAGE_STYLES[stage]
    return html.Span(stage_names()[stage], className="badge border stage-badge",
                     style={"backgroundColor": style["fill"], "color": style["text"]},
                     **({"id": badge_id} if badge_id else {}))


def demo_badge() -> html.Span:
    return html.Span(_("Demonstration data"), className="badge text-bg-warning demo-badge")


def demo_note() -> html.Div:
    return html.Div(
        [demo_badge(), " ",
         _("The stages, the coordination bodies and some of the organisations and activities "
           "shown here are demonstration data, marked as such. Rows that cite a source are real.")],
        className="alert alert-warning py-2 small", role="note", id="regions-demo-note",
    )


def source_link(source: str) -> html.Span | str:
    """A cited source, its addresses as links (not fetched by the page)."""
    return cited(source)


def since_text(stage_since, lang: str) -> str:
    return fmt_date(stage_since, lang) if stage_since else "–"


def with_demo_badge(content, is_demo: bool) -> list:
    """``content`` followed by the demonstration badge when the row is demonstration data."""
    return [content, " ", demo_badge()] if is_demo else [content]


def small_table(headers: tuple[str, ...], rows: list[html.Tr], block_id: str | None = None,
                table_id: str | None = None) -> html.Div:
    """A responsive table for a dozen rows or so (no need for a grid)."""
    table = html.Table([html.Thead(html.Tr([html.Th(text, scope="col") for text in headers])),
                        html.Tbody(rows)],
                       className="table table-sm align-middle mb-2", **({"id": table_id} if table_id else {}))
    return html.Div(table, className="table-responsive", **({"id": block_id} if block_id else {}))


def nothing(message: str, block_id: str) -> html.P:
    return html.P(message, className="text-body-secondary mb-0", id=block_id)


def services_text(services, lang: str) -> str:
    """"Shelter (2), Legal aid (1)": services offered in a region, most offered first."""
    names = service_names()
    ordered = sorted(services.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{names.get(s, s)} ({fmt_number(n, lang)})" for s, n in ordered) or "–"


def stage_meanings() -> dict[str | None, str]:
    return {
        "not_started": _("Nothing has been done on the ground yet."),
        "preparing": _("A regional body is set up; partners and services are being mapped."),
        "pilot": _("The first victims are referred under the mechanism, on a trial basis."),
        "operational": _("The mechanism's procedures apply across the whole region."),
        None: _("No stage has been reported for the region."),
    }


def stage_summary(counts: dict[str | None, int], lang: str) -> html.Ul:
    """Each stage with what it means and how many regions are at it (the regions without a
    report only if there are any)."""
    meanings = stage_meanings()
    items = [
        html.Li([
            html.Div([stage_badge(stage), html.Span(fmt_number(count, lang), className="fs-4 fw-semibold",
                                                    id=f"regions-count-{stage or 'none'}")],
                     className="d-flex justify-content-between align-items-center"),
            html.Div(meanings[stage], className="small text-body-secondary"),
        ], className="list-group-item")
        for stage, count in counts.items() if stage is not None or count
    ]
    return html.Ul(items, className="list-group list-group-flush", id="regions-counts")


# --- the map ----------------------------------------------------------------------------


def _hover(row: dict, lang: str) -> str:
    """A region's hover text on the map."""
    lines = [f"<b>{row['name']}</b>", f"{_('Stage')}: {stage_names()[row['stage']]}",
             f"{_('Since')}: {since_text(row['stage_since'], lang)}"]
    if row["stage_is_demo"]:
        lines.append(_("Demonstration data"))
    lines.append(_("Select the region to open its page"))
    return "<br>".join(lines)


def map_section(rows: list[dict], outlines: dict[str, Outline], lang: str) -> html.Div:
    """The map, with what a click needs: the codes of its traces and a location to set."""
    names = stage_names()
    figure, codes = rollout_map(rows, outlines, lang, names, lambda row: _hover(row, lang))
    description = _("Map of the regions by rollout stage") + ": " + "; ".join(
        f"{r['name']} {names[r['stage']]}" for r in rows)
    return html.Div([
        graph("regions-map", figure, description),
        dcc.Store(id="regions-map-codes", data=codes),
        dcc.Location(id="regions-go", refresh="callback-nav"),
        html.P(_("Select a region on the map to open its page; the table below lists the same "
                 "regions."), className="small text-body-secondary mb-0"),
    ], id="regions-map-section")


# --- the table and the cards ------------------------------------------------------------


def region_table(rows: list[dict], lang: str) -> html.Div:
    headers = (_("Region"), _("Stage"), _("Since"), _("Coordination bodies"), _("Organisations"),
               _("Shelters"), _("Services offered"), _("Activities held"))
    return small_table(headers, [
        html.Tr([
            html.Th([dcc.Link(r["name"], href=f"/regions/{r['code']}"),
                     html.Div(r["code"], className="small text-body-secondary", dir="ltr")],
                    scope="row"),
            html.Td(with_demo_badge(stage_badge(r["stage"]), r["stage_is_demo"])),
            html.Td(since_text(r["stage_since"], lang)),
            html.Td(fmt_number(r["bodies"], lang)),
            html.Td(fmt_number(r["organisations"], lang)),
            html.Td(fmt_number(r["shelters"], lang)),
            html.Td(services_text(r["services"], lang), className="small"),
            html.Td(fmt_number(r["activities"], lang)),
        ], id=f"regions-row-{r['code']}")
        for r in rows
    ], block_id="regions-table")


def region_cards(rows: list[dict], lang: str) -> html.Div:
    """The regions as cards, where the map cannot be drawn."""
    cards = []
    for r in rows:
        facts = [
            (_("Since"), since_text(r["stage_since"], lang)),
            (_("Coordination bodies"), fmt_number(r["bodies"], lang)),
            (_("Organisations"), fmt_number(r["organisations"], lang)),
            (_("Activities held"), fmt_number(r["activities"], lang)),
        ]
        cards.append(html.Div(html.Div(html.Div([
            html.H3(dcc.Link(r["name"], href=f"/regions/{r['code']}", className="stretched-link"),
                    className="h6"),
            html.Div(with_demo_badge(stage_badge(r["stage"]), r["stage_is_demo"]), className="mb-2"),
            html.Dl([part for label, value in facts
                     for part in (html.Dt(label, className="col-7 fw-normal text-body-secondary"),
                                  html.Dd(value, className="col-5 mb-0"))],
                    className="row small mb-0"),
        ], className="card-body"), className="card h-100 shadow-sm"), className="col"))
    return html.Div(cards, className="row row-cols-1 row-cols-sm-2 row-cols-lg-3 row-cols-xl-4 g-3",
                    id="regions-cards")


# --- a region's page --------------------------------------------------------------------


def history_list(history: list[dict], lang: str) -> html.Ol | html.P:
    """The dated steps of a region's rollout, oldest first."""
    if not history:
        return nothing(_("Nothing has been reported for this region yet."), "region-history")
    items = []
    for step in history:
        marks = []
        if step["is_demo"]:
            marks.append(demo_badge())
        elif step["validated"]:
            marks.append(html.Span(_("Validated report"), className="badge text-bg-success"))
        items.append(html.Li([
            html.Div([html.Strong(fmt_date(step["started_on"], lang), className="me-2"),
                      stage_badge(step["stage"]), " ", *marks]),
            html.Div(step["note"], className="small", dir="auto") if step["note"] else None,
            html.Div([_("Source:"), " ", source_link(step["source"])], className="small text-body-secondary")
            if step["source"] else None,
        ], className="mb-2"))
    return html.Ol(items, className="list-unstyled mb-0 region-history", id="region-history")


def bodies_list(bodies: list[dict], lang: str) -> html.Div | html.P:
    if not bodies:
        return nothing(_("No regional coordination body is recorded."), "region-bodies")
    kinds = body_kind()
    return small_table((_("Body"), _("Kind"), _("Established on"), _("Source")), [
        html.Tr([
            html.Td(with_demo_badge(b["name"], b["is_demo"]), dir="auto"),
            html.Td(kinds.get(b["kind"], b["kind"])),
            html.Td(fmt_date(b["established_on"], lang) if b["established_on"] else _("Not yet established")),
            html.Td(source_link(b["source"]), className="small"),
        ])
        for b in bodies
    ], block_id="region-bodies")


def organisations_list(organisations: list[dict], region_code: str, lang: str) -> html.Div | html.P:
    """Names, kinds, towns and services only: contact details stay in the directory. The
    first ``LIST_PAGE``; the directory has them all."""
    if not organisations:
        return nothing(_("No shelter or service is recorded in this region."), "region-organisations")
    kinds, services = kind_names(), service_names()
    return html.Div([
        small_table((_("Organisation"), _("Kind"), _("Town"), _("Services")), [
            html.Tr([
                html.Td(with_demo_badge(o["name"], o["is_demo"]), dir="auto"),
                html.Td(kinds.get(o["kind"], o["kind"])),
                html.Td(o["city"] or "–", dir="auto"),
                html.Td([html.Span(services.get(s, s), className="badge text-bg-light border me-1")
                         for s in o["services"]] or "–"),
            ])
            for o in organisations[:LIST_PAGE]
        ]),
        more_link(LIST_PAGE, len(organisations), f"/organisations?region={region_code}", lang),
        html.P([_("Contact details are in the civil-society directory, for logged-in users:"), " ",
                dcc.Link(_("the region in the directory"), href=f"/organisations?region={region_code}")],
               className="small mb-0"),
    ], id="region-organisations")


def activities_list(activities: list[dict], region_code: str, lang: str) -> html.Div | html.P:
    if not activities:
        return nothing(_("No activity held in this region is recorded."), "region-activities")
    kinds = kind_labels()
    return html.Div([
        small_table((_("Date"), _("Activity"), _("Kind")), [
            html.Tr([
                html.Td(fmt_period(a["start_date"], a["end_date"], a["date_precision"], lang)),
                html.Td(with_demo_badge(dcc.Link(a["title"], href=f"/activities/{a['code']}"), a["is_demo"]),
                        dir="auto"),
                html.Td(kinds.get(a["kind"], a["kind"])),
            ])
            for a in activities[:LIST_PAGE]
        ]),
        more_link(LIST_PAGE, len(activities), f"/activities?region={region_code}", lang),
        dcc.Link(_("These activities in the list of activities"), href=f"/activities?region={region_code}",
                 className="small"),
    ], id="region-activities")


FIGURES_SHOWN = 50  # by series and publisher, newest first; the statistics page has them all


def figures_list(figures: list[dict], lang: str, threshold: int) -> html.Div | html.P:
    """Published figures broken down by region, the ``FIGURES_SHOWN`` first of them; small
    counts read "<5" for the public."""
    if not figures:
        return nothing(_("No published figure is broken down by region yet."), "region-figures")
    series = labels.statistic_series()
    categories = labels.disaggregation_value()
    rows = []
    for f in figures[:FIGURES_SHOWN]:
        name = " · ".join([series.get(f["series"], f["series"]),
                           *(categories.get(value, value) for _key, value in sorted(f["cells"].items()))])
        if f["value"] is not None:
            value = fmt_value(f["value"], "percent" if f["unit"] == "percent" else "number", lang)
        else:
            value = small_label(threshold, lang) if f["small"] else _("hidden")
        rows.append(html.Tr([
            html.Td(with_demo_badge(name, f["is_demo"])),
            html.Td(f["publisher"]),
            html.Td(f["period"]),
            html.Td(html.Bdi(value), className="text-end"),
            html.Td(source_link(f["url"]) if f["url"] else f["source"], className="small"),
        ]))
    return html.Div([
        small_table((_("Figure"), _("Publisher"), _("Period"), _("Value"), _("Source")), rows,
                    table_id="region-figures-table"),
        more_link(FIGURES_SHOWN, len(figures), "/statistics", lang),
        html.P(_("To protect victims, public pages show counts from 1 to %(n)s as \"%(label)s\" and "
                 "hide another region's count where needed.", n=fmt_number(threshold - 1, lang),
                 label=small_label(threshold, lang)), className="small text-body-secondary mb-0"),
    ], id="region-figures")
