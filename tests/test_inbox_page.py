"""A focal point's inbox (/my): who may open it and its five lists.

In tests/fixtures/plan_small.yaml MJ leads A1.O1.M2 (last updated 2026-02-01, so overdue
on 2026-11-22 with a 90-day cycle) and reports on no indicator; PMP leads A2.O2.M1 (updated
2026-10-01, up to date) and reports on IND-01.
"""
from __future__ import annotations

import pytest

from dashboard.devtools.testing import DashClient
from tests.test_measure_updates import (
    MEASURE,
    as_user,
    form,
    latest_update,
    page,
    review,
    submit,
)


def text(tree) -> str:
    return " ".join(DashClient.text_of(tree).split())


def hrefs(tree) -> set[str]:
    return {n["props"]["href"] for n in DashClient.components(tree, lambda n: "href" in n["props"])}


def test_anonymous_is_asked_to_log_in(app, login):
    tree = page(as_user(app, login, None), "/my")
    refusal = DashClient.find(tree, "access-refused")
    assert "Please log in to do this." in text(refusal)
    assert "/login?next=/my" in hrefs(refusal)
    assert DashClient.find(tree, "my-inbox") is None


@pytest.mark.parametrize("key", ["committee", "secretariat", "admin"])
def test_other_roles_are_refused(app, login, key):
    tree = page(as_user(app, login, key), "/my")
    assert "Your account is not allowed to do this." in text(DashClient.find(tree, "access-refused"))
    assert DashClient.find(tree, "my-inbox") is None


def test_focal_point_of_mj_with_nothing_submitted(app, login):
    tree = page(as_user(app, login, "focal_mj"), "/my")
    inbox = DashClient.find(tree, "my-inbox")
    content = text(inbox)
    assert "Ministry of Justice" in content  # the page is in English
    # (a) the measures MJ leads, (b) the overdue update.
    assert f"/measures/{MEASURE}" in hrefs(inbox)
    assert "Indicators guide" in content and "Overdue" in content
    assert "May 2, 2026" in content  # 2026-02-01 + 90 days
    # (c), (d), (e) are empty and say so.
    assert "Nothing was returned to you." in content
    assert "Nothing of yours is waiting for review." in content
    assert "Your entity reports on no indicator." in content
    assert not any(h.startswith("/measures/A2") for h in hrefs(inbox))


def test_focal_point_of_pmp_sees_its_indicators(app, login):
    inbox = DashClient.find(page(as_user(app, login, "focal_pmp"), "/my"), "my-inbox")
    assert "/indicators/IND-01" in hrefs(inbox)
    assert "/measures/A2.O2.M1" in hrefs(inbox)
    assert "No update is due." in text(inbox)  # updated 2026-10-01
    assert f"/measures/{MEASURE}" not in hrefs(inbox)


def test_pending_then_returned(writable_app, login, writable_engine):
    focal = as_user(writable_app, login, "focal_mj")
    submit(focal, form(writable_engine, progress=55))
    inbox = text(DashClient.find(page(focal, "/my"), "my-inbox"))
    assert "Nothing of yours is waiting for review." not in inbox
    assert "In progress, 55%" in inbox and "Focal Mj" in inbox
    # A pending measure no longer counts as due.
    assert "No update is due." in inbox

    update_id, version, _state = latest_update(writable_engine)
    review(as_user(writable_app, login, "secretariat"), "measure_update", update_id, "return", version,
           "Please attach the <b>minutes</b>.")
    tree = page(focal, "/my")
    returned = DashClient.find(tree, "my-returned")
    assert "Please attach the <b>minutes</b>." in text(returned)
    assert "Returned on" in text(returned) and "by Secretariat" in text(returned)
    assert f"/measures/{MEASURE}" in hrefs(returned)
    # The reason is plain text, never markup.
    assert DashClient.components(returned, lambda n: n["props"].get("children") == "Please attach the <b>minutes</b>.")
    assert "Nothing of yours is waiting for review." in text(tree)


def test_inbox_in_arabic(app, login):
    response = as_user(app, login, "focal_mj", lang="ar").page("/my")
    assert response.status_code == 200
    assert DashClient.find(response.get_json()["response"], "my-inbox") is not None
