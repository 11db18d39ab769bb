"""Security headers (dashboard/web/headers.py): Content-Security-Policy on every page and
response, Permissions-Policy, HSTS in production only, and the evidence download's own
``sandbox`` policy kept."""
from __future__ import annotations

import base64
import hashlib
import re

import dash
import pytest
from sqlalchemy import select

from dashboard.models import Activity, Indicator, Measure, Region, StrategicAxis
from dashboard.web.headers import HSTS, merge_policies
from tests.evidence_support import submit_evidence

PRODUCTION = {"ENV": "production", "SECRET_KEY": "a-secret-key-for-the-tests-only-0123456789"}
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


def policy(response) -> dict[str, list[str]]:
    text = response.headers["Content-Security-Policy"]
    directives = {}
    for part in text.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} twice in {text}"
        directives[name] = sources
    return directives


@pytest.fixture
def page_paths(session) -> list[str]:
    """A real path for every page of the registry (templates filled from the test data)."""
    first = {
        "axes": session.scalar(select(StrategicAxis.code).order_by(StrategicAxis.code)),
        "measures": session.scalar(select(Measure.code).order_by(Measure.code)),
        "indicators": session.scalar(select(Indicator.code).where(Indicator.is_public).order_by(Indicator.code)),
        "entities": "MJ",
        "regions": session.scalar(select(Region.code).order_by(Region.code)),
        "activities": session.scalar(select(Activity.code).order_by(Activity.code)),
    }
    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        if "<" in template:
            section = template.strip("/").split("/")[0]
            assert first.get(section), f"no test value for {template}: add one to page_paths"
            template = re.sub(r"<[^>]+>", first[section], template)
        paths.append(template)
    return paths


def test_every_page_has_the_policy_and_every_inline_script_is_hashed(client, page_paths):
    assert len(page_paths) >= 20  # the registry was walked, not an empty list
    for path in page_paths:
        response = client.get(f"{path}?lang=fr")
        assert response.status_code == 200, path
        directives = policy(response)
        scripts = directives["script-src"]
        allowed = set(scripts)
        inline = [m["body"] for m in INLINE_SCRIPT.finditer(response.get_data(as_text=True))
                  if m["body"].strip() and "application/json" not in m["attrs"]]
        assert any("DashRenderer" in body for body in inline)
        for body in inline:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, f"{path}: an inline script is not in script-src"
        assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:]), path
        assert response.headers["Permissions-Policy"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_policy_allows_nothing_from_elsewhere(client):
    directives = policy(client.get("/?lang=ar"))
    assert directives["default-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]  # plotly and AG Grid write styles
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    for name in ("font-src", "connect-src", "frame-ancestors", "base-uri", "form-action"):
        assert directives[name] == ["'self'"], name
    assert directives["object-src"] == ["'none'"]
    every_source = [source for sources in directives.values() for source in sources]
    assert not [s for s in every_source if "://" in s or s in ("*", "http:", "https:")]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]


def test_other_responses_have_the_policy_too(client, dash_client):
    client.get("/?lang=en")
    responses = {
        "health": client.get("/healthz"),
        "layout": client.get("/_dash-layout"),
        "asset": client.get("/assets/app.css"),
        "refusal": client.get("/evidence/999999"),
        "csv refusal": client.get("/admin/audit.csv"),
        "unknown page": client.get("/no/such/page"),
        "callback": dash_client.call("plan-tree.children", {"plan-axis.value": None}),
    }
    for name, response in responses.items():
        assert policy(response)["default-src"] == ["'self'"], name
        assert "camera=()" in response.headers["Permissions-Policy"], name


def test_permissions_policy_denies_the_powerful_features(client):
    header = client.get("/").headers["Permissions-Policy"]
    features = dict(item.strip().split("=") for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "hid",
                    "display-capture"):
        assert features[feature] == "()", feature


def test_hsts_only_in_production(make_app):
    development = make_app().test_client().get("/healthz")
    assert "Strict-Transport-Security" not in development.headers
    production = make_app(**PRODUCTION).test_client()
    for path in ("/", "/healthz", "/assets/app.css"):
        assert production.get(path).headers["Strict-Transport-Security"] == HSTS == \
            "max-age=31536000; includeSubDomains"


def test_an_evidence_download_keeps_its_sandbox(make_app, writable_url, uploads, login):
    evidence_id, content = submit_evidence(writable_url, uploads)
    app = make_app(DATABASE_URL=writable_url, UPLOAD_DIR=str(uploads))
    response = login(app.test_client(), "focal_mj").get(f"/evidence/{evidence_id}")
    assert response.status_code == 200 and response.data == content
    header = response.headers["Content-Security-Policy"]
    assert header.split(";")[0] == "sandbox"
    directives = policy(response)
    assert directives["sandbox"] == [] and directives["default-src"] == ["'self'"]


def test_merge_keeps_the_routes_own_directives():
    general = "default-src 'self'; img-src 'self' data:; object-src 'none'"
    assert merge_policies("sandbox", general) == "sandbox; default-src 'self'; img-src 'self' data:; object-src 'none'"
    assert merge_policies("default-src 'none'; sandbox", general) == \
        "default-src 'none'; sandbox; img-src 'self' data:; object-src 'none'"
    assert merge_policies(general, general) == general
