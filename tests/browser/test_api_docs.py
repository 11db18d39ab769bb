"""/api/v1/docs: Swagger UI from the vendored files draws every operation of the OpenAPI
document, under the site's Content-Security-Policy, without a request to another host."""
from __future__ import annotations

import pytest

from dashboard.web.api.openapi import ENDPOINTS

pytestmark = pytest.mark.browser


def test_the_api_documentation_runs_offline_under_the_policy(page):
    page.page.goto(page.url_for("/api/v1/docs"), wait_until="networkidle")
    page.page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.page.eval_on_selector_all(".opblock-summary-path", "nodes => nodes.map(n => n.dataset.path)")
    assert sorted(paths) == sorted(endpoint.path for endpoint in ENDPOINTS)
    assert not page.csp_violations()
    page.assert_clean()
