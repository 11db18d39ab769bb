"""Every component id a server or browser callback names (output, input or state) exists in
the app shell or in some page's layout: a renamed id in a layout cannot leave a callback
silently waiting for a component that never comes.

The ids are taken from ``/_dash-dependencies`` (every registered callback, as the browser
sees them; a pattern-matching id by its ``type``). The layouts are rendered the way the
browser gets them: the shell from ``/_dash-layout`` and every registered page through Dash's
router callback, in each language, for the public and for each role of the test accounts,
on a database where every form and button has something to show: a value and a figure
returned to their focal point (their "Edit" buttons), one waiting for review, a
set-password link.
"""
from __future__ import annotations

import json
import re

import dash
import plotly
import pytest
from sqlalchemy import select

from dashboard.app import create_app
from dashboard.db import session_scope
from dashboard.devtools.testing import DashClient
from dashboard.i18n import LANGUAGE_NAMES
from dashboard.models import (
    Activity,
    Entity,
    Indicator,
    Measure,
    Region,
    StrategicAxis,
    User,
    measure_partner,
)
from dashboard.permissions import PUBLIC
from dashboard.plan.queries import MeasureFilter
from dashboard.workflow import accounts, submissions
from dashboard.workflow import statistic_entries as entries
from helpers import AS_OF, AS_OF_DATE, TEST_USERS, actor_of, email_of, log_in_as
from layouts import components
from layouts.parts import activities as activity_parts
from layouts.parts import funding as funding_parts
from layouts.parts import implementation as implementation_parts
from layouts.parts import organisations as organisation_parts
from layouts.parts import plan as plan_parts
from layouts.parts.batches import batch_card
from layouts.parts.workflow import report_body, section_page

VIEWERS = (None, *TEST_USERS)


@pytest.fixture(scope="module")
def world(databases, tmp_path_factory):
    """The app on a seeded database of its own, with submissions in every state a page shows,
    and a set-password link; yields (app, token)."""
    url = databases.seeded()
    uploads = tmp_path_factory.mktemp("uploads")
    app = create_app({"DATABASE_URL": url, "AS_OF": AS_OF, "TESTING": True, "UPLOAD_DIR": str(uploads)})
    with app.test_request_context("/?lang=en"), session_scope(app.extensions["db_engine"]) as session:
        focal, secretariat = actor_of(session, "focal_pmp"), actor_of(session, "secretariat")
        returned = submissions.submit_indicator_value(
            session, focal, "IND-01", submissions.ValueForm(period="2024", value="140"), uploads, AS_OF_DATE)
        submissions.return_indicator_value(session, secretariat, returned.id, returned.version, "Which report?")
        submissions.submit_indicator_value(
            session, focal, "IND-01", submissions.ValueForm(period="2025", value="150"), uploads, AS_OF_DATE)
        figure = entries.submit_statistic(session, focal, entries.StatisticForm(
            series="victims_identified", year=2025, breakdown={}, value="240",
            document="Annual report 2025 of the Public Prosecution", note=""), AS_OF_DATE)
        entries.return_statistic(session, secretariat, figure.id, figure.version, "Which page?")
        committee = session.scalar(select(User).where(User.email == email_of("committee")))
        token = accounts.reset_password(session, actor_of(session, "admin"), committee.id, committee.version).token
    yield app, token
    app.extensions["db_engine"].dispose()
    databases.drop(url)


def callback_ids(dependencies: list[dict]) -> dict[str, set[str]]:
    """Component id (a pattern-matching id by its type) -> the callbacks that name it."""
    named: dict[str, set[str]] = {}
    for dependency in dependencies:
        outputs = dependency["output"].strip(".").split("...")
        components = [text.split("@")[0].rsplit(".", 1)[0] for text in outputs]
        components += [item["id"] for item in dependency["inputs"] + dependency["state"]]
        for component in components:
            key = json.loads(component)["type"] if component.startswith("{") else component
            named.setdefault(key, set()).add(dependency["output"].split("@")[0])
    return named


def layout_ids(tree) -> set[str]:
    """Ids in a serialized component tree (a pattern-matching id by its type)."""
    found = set()
    for node in DashClient.components(tree, lambda node: "id" in node["props"]):
        component_id = node["props"]["id"]
        found.add(component_id["type"] if isinstance(component_id, dict) else component_id)
    return found


def sample_paths(app) -> list[str]:
    """Every registered page's path, a path template filled with a code from the database."""
    with app.extensions["db_sessionmaker"]() as session:
        values = {
            "/activities/<code>": session.scalar(select(Activity.code).order_by(Activity.code)),
            "/axes/<code>": session.scalar(select(StrategicAxis.code).order_by(StrategicAxis.code)),
            # One that leads measures and one that supports one: each has its own table.
            "/entities/<acronym>": [
                session.scalar(select(Entity.acronym).join(Measure, Measure.lead_entity_id == Entity.id)
                               .order_by(Entity.acronym)),
                session.scalar(select(Entity.acronym).join(measure_partner, measure_partner.c.entity_id == Entity.id)
                               .order_by(Entity.acronym)),
            ],
            "/indicators/<code>": session.scalar(
                select(Indicator.code).where(Indicator.is_public.is_(True)).order_by(Indicator.code)),
            # One that MJ leads, so that focal_mj gets the report form.
            "/measures/<code>": session.scalar(
                select(Measure.code).join(Entity, Measure.lead_entity_id == Entity.id)
                .where(Entity.acronym == "MJ").order_by(Measure.code)),
            "/regions/<code>": session.scalar(select(Region.code).order_by(Region.code)),
        }
    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template is None:
            paths.append(page["path"])
            continue
        assert template in values, f"no sample value for the page {template}: add one above"
        samples = values[template] if isinstance(values[template], list) else [values[template]]
        assert all(samples), f"the test data has nothing for {template}"
        paths += [re.sub(r"<[^>]+>", sample, template) for sample in samples]
    return paths


def rendered_ids(app, token: str) -> set[str]:
    ids: set[str] = set()
    paths = [f"{path}?token={token}" if path == "/set-password" else path for path in sample_paths(app)]
    for lang in LANGUAGE_NAMES:
        for viewer in VIEWERS:
            client = log_in_as(DashClient.in_language(app, lang).client, viewer)
            dash_client = DashClient(client)
            shell = client.get("/_dash-layout")
            assert shell.status_code == 200
            ids |= layout_ids(shell.get_json())
            for path in paths:
                pathname, _, query = path.partition("?")
                response = dash_client.page(pathname, f"?{query}" if query else "")
                assert response.status_code == 200, (lang, viewer, path, response.status_code)
                ids |= layout_ids(response.get_json()["response"])
    return ids


def serialized(component) -> dict:
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def parts_ids(app, monkeypatch) -> set[str]:
    """Ids of the parts that only a callback renders (the plan tree, loaded when opened, and
    its pages: one objective a page here, so that the pager shows; a review section's pager)."""
    monkeypatch.setattr(plan_parts, "TREE_PAGE", 1)
    ids: set[str] = set()
    with app.test_request_context("/?lang=en"), app.extensions["db_sessionmaker"]() as session:
        ids |= layout_ids(serialized(plan_parts.tree(session, "en", AS_OF_DATE, MeasureFilter())))
        ids |= layout_ids(serialized(plan_parts.objectives(session, "en", AS_OF_DATE, MeasureFilter(), "A2", 0)))
        # a review-queue section longer than a page
        ids |= layout_ids(serialized(section_page(PUBLIC, "en", "values", {"rows": [], "total": 40, "page": 0,
                                                                          "pages": 2})))
        # a reporting file in the review queue, as the secretariat sees it
        batch = {"id": 1, "entity": "MJ", "entity_name": "", "submitted_by": "", "created_at": None,
                 "filename": "f.xlsx", "file": None, "sent": 0, "updates": [], "values": [], "statistics": []}
        ids |= layout_ids(serialized(batch_card(batch, "en", True)))
        # a directory longer than a page (the test data holds one organisation)
        organisation = {"name": "Association", "kind": "association", "region": "", "city": "", "services": [],
                        "entity": None, "source": "", "is_demo": True}
        ids |= layout_ids(serialized(organisation_parts.cards_page([organisation] * 2, "en")))
        # a partner supporting more measures than a page lists
        measure = {"name": "Measure", "status": "in_progress", "progress": 5}
        programme = {"acronym": "P", "code": "P", "measures_are_demo": True,
                     "partners": [{"acronym": "EU", "name": "European Union"}],
                     "measures": [{**measure, "code": f"A1.O1.M{n}"} for n in range(funding_parts.MEASURES_PAGE + 1)]}
        ids |= layout_ids(serialized(funding_parts.supported_measures([programme], "en")))
        # the measure page's card of a focal point whose update waits (withdraw, comments),
        # sent in this session only: rolled back below
        focal = actor_of(session, "focal_mj")
        measure = session.scalar(select(Measure).join(Entity, Measure.lead_entity_id == Entity.id)
                                 .where(Entity.acronym == "MJ").order_by(Measure.code))
        submissions.submit_measure_update(session, focal, measure.code, measure.version, submissions.UpdateForm(
            status="in_progress", progress=40, narrative={"en": "Done."}, period_start="2026-01-01",
            period_end="2026-06-30", links="https://example.org"), app.config["UPLOAD_DIR"], AS_OF_DATE)
        ids |= layout_ids(serialized(report_body(session, focal, measure, "en", AS_OF_DATE)))
        session.rollback()
    return ids


def test_every_callback_id_is_in_a_layout(world, monkeypatch):
    app, token = world
    monkeypatch.setattr(components, "LIST_PAGE", 1)  # lists of cards show their pager
    monkeypatch.setattr(activity_parts, "ACTIVITIES_PAGE", 1)
    monkeypatch.setattr(implementation_parts, "TIMELINE_PAGE", 1)  # and so does the timeline
    dependencies = DashClient(app.test_client()).dependencies
    in_layouts = rendered_ids(app, token) | parts_ids(app, monkeypatch)
    missing = {
        component: sorted(callbacks)
        for component, callbacks in callback_ids(dependencies).items()
        if component not in in_layouts
    }
    assert not missing, "ids named by callbacks but in no layout:\n" + "\n".join(
        f"  {component}: {', '.join(callbacks)}" for component, callbacks in sorted(missing.items()))
