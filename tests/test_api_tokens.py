"""Personal API tokens: created by readers of restricted data only, shown once, stored as
a hash, audited when created and revoked; a token reads the API as its owner until it
expires or is revoked, then 401."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from dashboard.devtools.testing import DashClient
from dashboard.errors import Forbidden, InvalidInput, NotFound
from dashboard.models import ApiToken, AuditEvent, User
from dashboard.permissions import PUBLIC
from dashboard.web import navigation
from dashboard.workflow import accounts, api_tokens
from helpers import actor_of, email_of, log_in_as


@pytest.mark.parametrize("key", ["committee", "secretariat", "admin"])
def test_a_reader_creates_a_token_shown_once_and_stored_as_a_hash(session, key):
    actor = actor_of(session, key)
    created = api_tokens.create_token(session, actor, "  Statistics office  ", 30)
    assert created.secret.startswith(api_tokens.PREFIX) and len(created.secret) > 40
    stored = session.get(ApiToken, created.row.id)
    assert stored.token_hash == api_tokens.token_hash(created.secret) != created.secret
    assert stored.name == "Statistics office"
    assert stored.expires_at - stored.created_at == dt.timedelta(days=30)
    # The secret is nowhere in the database: only what the list shows.
    [listed] = api_tokens.tokens_of(session, actor)
    assert listed == created.row and listed.active and not hasattr(listed, "secret")
    for value in vars(stored).values():
        assert value != created.secret
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.create"))
    assert (event.actor_id, event.object_id) == (actor.user_id, str(stored.id))
    assert created.secret not in str(event.after)


@pytest.mark.parametrize("key", [None, "focal_mj", "focal_pmp"])
def test_the_public_and_focal_points_may_not_create_tokens(session, key):
    actor = actor_of(session, key)
    with pytest.raises(Forbidden):
        api_tokens.create_token(session, actor, "mine")
    assert api_tokens.tokens_of(session, actor) == []
    assert session.scalar(select(ApiToken)) is None


@pytest.mark.parametrize(("name", "days"), [("", 30), ("x" * 81, 30), ("ok", 0), ("ok", 366), ("ok", "soon"),
                                            ("\x00", 30)])
def test_a_token_needs_a_name_and_at_most_a_year(session, name, days):
    with pytest.raises(InvalidInput):
        api_tokens.create_token(session, actor_of(session, "committee"), name, days)


def test_a_token_resolves_to_its_owner_until_it_expires(session):
    actor = actor_of(session, "committee")
    now = dt.datetime(2026, 1, 1)
    created = api_tokens.create_token(session, actor, "soon over", 1, now=now)
    found = api_tokens.actor_for_token(session, created.secret, "10.0.0.1", now=now + dt.timedelta(hours=23))
    assert (found.user_id, found.role, found.address) == (actor.user_id, "committee", "10.0.0.1")
    assert api_tokens.actor_for_token(session, created.secret, now=now + dt.timedelta(days=1)) is None
    assert api_tokens.actor_for_token(session, created.secret + "x", now=now) is None
    assert api_tokens.actor_for_token(session, "", now=now) is None


def test_revoking_is_audited_and_ends_the_token(session):
    actor = actor_of(session, "secretariat")
    created = api_tokens.create_token(session, actor, "to revoke")
    row = api_tokens.revoke_token(session, actor, created.row.id)
    assert not row.active and row.revoked_at is not None
    assert api_tokens.actor_for_token(session, created.secret) is None
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.revoke")).all()
    assert event.object_id == str(created.row.id)
    api_tokens.revoke_token(session, actor, created.row.id)  # again: nothing more recorded
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.revoke")).all()) == 1


def test_only_the_owner_or_an_admin_revokes_a_token(session):
    owner = actor_of(session, "committee")
    created = api_tokens.create_token(session, owner, "owned")
    with pytest.raises(NotFound):
        api_tokens.revoke_token(session, actor_of(session, "secretariat"), created.row.id)
    with pytest.raises(Forbidden):
        api_tokens.revoke_token(session, actor_of(session, "focal_mj"), created.row.id)
    with pytest.raises(Forbidden):
        api_tokens.revoke_token(session, PUBLIC, created.row.id)
    for bad in (0, -1, 2**40, "1"):
        with pytest.raises(NotFound):
            api_tokens.revoke_token(session, owner, bad)
    assert not api_tokens.revoke_token(session, actor_of(session, "admin"), created.row.id).active


def test_a_token_stops_when_its_owner_is_deactivated_or_becomes_a_focal_point(session):
    actor = actor_of(session, "committee")
    created = api_tokens.create_token(session, actor, "owner changes")
    user = session.scalar(select(User).where(User.email == email_of("committee")))
    user.role, user.entity_id = "focal_point", actor_of(session, "focal_mj").entity_id
    assert api_tokens.actor_for_token(session, created.secret) is None
    user.role, user.entity_id, user.is_active = "committee", None, False
    assert api_tokens.actor_for_token(session, created.secret) is None


# --- through the API ------------------------------------------------------------------------


def create(app, key: str, days: int = 30, now: dt.datetime | None = None) -> tuple[int, str]:
    with app.extensions["db_sessionmaker"]() as session:
        created = api_tokens.create_token(session, actor_of(session, key), "api test", days, now=now)
        session.commit()
    return created.row.id, created.secret


def test_a_token_reads_the_api_until_revoked(writable_app):
    token_id, secret = create(writable_app, "admin")
    client = writable_app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    organisations = client.get("/api/v1/organisations?per_page=200", headers=headers)
    assert organisations.status_code == 200
    assert organisations.headers["Cache-Control"] == "private, no-store"
    # Contact details are for signed-in readers: the token's owner, not the public.
    public = client.get("/api/v1/organisations?per_page=200").get_json()["items"]
    assert all(item["contacts"] is None for item in public)
    with writable_app.extensions["db_sessionmaker"]() as session:
        api_tokens.revoke_token(session, actor_of(session, "admin"), token_id)
        session.commit()
    response = client.get("/api/v1/axes", headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_gets_401(writable_app):
    _id, secret = create(writable_app, "committee", days=1, now=dt.datetime(2020, 1, 1))
    response = writable_app.test_client().get("/api/v1/axes?lang=fr", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and response.mimetype == "application/json"


def test_a_token_is_refused_once_its_owner_is_deactivated(writable_app):
    _id, secret = create(writable_app, "secretariat")
    with writable_app.extensions["db_sessionmaker"]() as session:
        user = session.scalar(select(User).where(User.email == email_of("secretariat")))
        accounts.set_active(session, actor_of(session, "admin"), user.id, user.version, False)
        session.commit()
    assert writable_app.test_client().get("/api/v1/axes", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


# --- the page ---------------------------------------------------------------------------------


def dash_as(app, key):
    client = log_in_as(app.test_client(), key)
    client.get("/?lang=en")
    return DashClient(client)


def test_readers_create_and_revoke_their_tokens_on_the_page(writable_app, writable_engine):
    dash = dash_as(writable_app, "committee")
    tree = dash.page("/account/tokens").get_json()["response"]["_pages_content"]["children"]
    assert DashClient.find(tree, "api-tokens-create") is not None
    response = dash.call("api-tokens-message.children",
                         {"api-tokens-create.n_clicks": 1, "api-tokens-name.n_submit": 0},
                         state={"api-tokens-name.value": "Reports", "api-tokens-days.value": "30"})
    assert response.status_code == 200
    outputs = response.get_json()["response"]
    secret = DashClient.find(outputs["api-tokens-message"]["children"], "api-tokens-secret")["children"]
    assert secret.startswith(api_tokens.PREFIX)
    with writable_engine.connect() as conn:
        [(name, stored)] = conn.execute(select(ApiToken.name, ApiToken.token_hash)).all()
    assert (name, stored) == ("Reports", api_tokens.token_hash(secret))
    # Reloaded, the page lists the token but never shows its secret again.
    again = json.dumps(dash.page("/account/tokens").get_json())
    assert "Reports" in again and secret not in again
    client = writable_app.test_client()
    assert client.get("/api/v1/axes", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    with writable_engine.connect() as conn:
        token_id = conn.execute(select(ApiToken.id)).scalar_one()
    # Both callbacks write the list: name the revoking one by its whole output.
    [revoking] = [d["output"] for d in dash.dependencies if {"id": "api-tokens-revoke", "property": "n_clicks"}
                  in d["inputs"]]
    revoked = dash.call(revoking, {"api-tokens-revoke.n_clicks": 1},
                        state={"api-tokens-revoke-id.value": str(token_id)})
    assert revoked.status_code == 200 and "Revoked" in json.dumps(revoked.get_json())
    assert client.get("/api/v1/axes", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


@pytest.mark.parametrize("key", ["focal_mj", "focal_pmp"])
def test_focal_points_get_no_token_form_and_the_service_refuses_them(writable_app, writable_engine, key):
    dash = dash_as(writable_app, key)
    tree = dash.page("/account/tokens").get_json()["response"]["_pages_content"]["children"]
    assert DashClient.find(tree, "api-tokens-refused") is not None
    assert DashClient.find(tree, "api-tokens-create") is None
    # A forged callback request is refused by the service: nothing is written.
    response = dash.call("api-tokens-message.children",
                         {"api-tokens-create.n_clicks": 1, "api-tokens-name.n_submit": 0},
                         state={"api-tokens-name.value": "forged", "api-tokens-days.value": "30"})
    assert response.status_code == 200 and "api-tokens-secret" not in response.get_data(as_text=True)
    with writable_engine.connect() as conn:
        assert conn.execute(select(ApiToken.id)).first() is None


def test_the_account_menu_links_the_page_for_readers_only(session):
    links = {key: [path for path, _label in navigation.account_links(actor_of(session, key))]
             for key in (None, "focal_mj", "committee", "secretariat", "admin")}
    assert links == {None: [], "focal_mj": ["/account/notifications"], "committee": ["/account/tokens"],
                     "secretariat": ["/account/tokens", "/account/notifications"], "admin": ["/account/tokens"]}
