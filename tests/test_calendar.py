"""The reporting calendar (dashboard/workflow/calendar.py) and its iCalendar feed
(/my/calendar.ics).

In tests/fixtures/plan_small.yaml MJ leads A1.O1.M2 (last updated 2026-02-01: due
2026-05-02, overdue on 2026-11-22 with a 90-day cycle); PMP leads A2.O2.M1 (updated
2026-10-01: due 2026-12-30) and reports IND-01 (annual, latest 2024: 2025 is owed, due
60 days after 2025-12-31).
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard.errors import Forbidden, UserError
from dashboard.i18n import using_language
from dashboard.models import Measure
from dashboard.web.calendar_feed import fold
from dashboard.workflow import calendar, submissions
from helpers import AS_OF_DATE, FRESHNESS_DAYS, actor_of


def items_of(session, key, **kw):
    with using_language("en"):
        return calendar.reporting_calendar(session, actor_of(session, key), "en", AS_OF_DATE, FRESHNESS_DAYS, **kw)


def test_a_focal_point_sees_their_body_only(session):
    items = {(i.kind, i.code): i for i in items_of(session, "focal_pmp")}
    assert set(items) == {("measure", "A2.O2.M1"), ("indicator", "IND-01")}
    measure, indicator = items["measure", "A2.O2.M1"], items["indicator", "IND-01"]
    assert (measure.due_on, measure.state, measure.path) == (dt.date(2026, 12, 30), "ok", "/measures/A2.O2.M1")
    assert (indicator.period, indicator.due_on, indicator.state) == ("2025", dt.date(2026, 3, 1), "overdue")
    assert indicator.path == "/indicators/IND-01"
    # The most urgent first.
    assert [i.code for i in items_of(session, "focal_pmp")] == ["IND-01", "A2.O2.M1"]
    mj = items_of(session, "focal_mj")
    assert [(i.code, i.due_on, i.state) for i in mj] == [("A1.O1.M2", dt.date(2026, 5, 2), "overdue")]


def test_the_measure_due_date_is_the_inbox_rule(session):
    """A measure's date and state are worklists.due_state's (the /my inbox's)."""
    from dashboard.workflow.worklists import due_state

    item = items_of(session, "focal_mj")[0]
    assert (item.state, item.due_on) == due_state(dt.date(2026, 2, 1), AS_OF_DATE, FRESHNESS_DAYS)


def pending_update(session, tmp_path):
    measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
    form = submissions.UpdateForm(status="in_progress", progress=60, narrative={"fr": "Fait."},
                                  period_start="2026-07-01", period_end="2026-09-30",
                                  links="https://justice.example.invalid/guide")
    with using_language("en"):
        return submissions.submit_measure_update(session, actor_of(session, "focal_mj"), "A1.O1.M2",
                                                 measure.version, form, tmp_path, AS_OF_DATE)


def test_a_pending_submission_marks_the_item(session, tmp_path):
    pending_update(session, tmp_path)
    assert items_of(session, "focal_mj")[0].state == "pending"


def test_the_secretariat_and_committee_read_any_body(session):
    everything = items_of(session, "secretariat")
    assert {"A1.O1.M2", "A2.O2.M1", "IND-01"} <= {i.code for i in everything}
    assert "A2.O1.M2" not in {i.code for i in everything}  # cancelled: nothing is due
    assert {i.entity for i in items_of(session, "committee", entity="MJ")} == {"MJ"}
    with pytest.raises(UserError):
        items_of(session, "secretariat", entity="NOPE")


@pytest.mark.parametrize("key", [None, "admin"])
def test_others_are_refused(session, key):
    with pytest.raises(Forbidden):
        items_of(session, key)


def test_a_focal_point_cannot_read_another_body(session):
    with pytest.raises(Forbidden):
        items_of(session, "focal_mj", entity="PMP")


@pytest.mark.parametrize(("frequency", "latest", "expected"), [
    ("annual", "2024", ("2025", dt.date(2025, 12, 31))),
    ("quarterly", "2025-Q4", ("2026-Q1", dt.date(2026, 3, 31))),
    ("quarterly", "2025", ("2026-Q1", dt.date(2026, 3, 31))),
    ("semiannual", "2026-S1", ("2026-S2", dt.date(2026, 12, 31))),
    ("quarterly", None, ("2026-Q3", dt.date(2026, 9, 30))),
    ("annual", "garbage", ("2025", dt.date(2025, 12, 31))),
])
def test_the_next_period(frequency, latest, expected):
    assert calendar.next_period(frequency, latest, AS_OF_DATE) == expected


# --- the iCalendar feed --------------------------------------------------------------------


def unfold(body: bytes) -> list[str]:
    """The content lines of an iCalendar body (RFC 5545 3.1), checking CRLF and 75 octets."""
    assert body.endswith(b"\r\n")
    raw = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in raw)
    assert b"\n" not in b"".join(raw)
    lines: list[str] = []
    for line in raw:
        text = line.decode("utf-8")  # each physical line is valid UTF-8: no character is cut
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def events(lines: list[str]) -> list[dict[str, str]]:
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    return found


def test_the_feed_of_a_focal_point(client, login):
    login(client, "focal_pmp")
    response = client.get("/my/calendar.ics?lang=fr")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    lines = unfold(response.data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found = {e["URL"].rsplit("/", 1)[1]: e for e in events(lines)}
    assert set(found) == {"A2.O2.M1", "IND-01"}
    measure = found["A2.O2.M1"]
    assert measure["DTSTART;VALUE=DATE"] == "20261230"
    assert measure["UID"].startswith("measure-A2.O2.M1-2026-12-30@")
    assert measure["URL"].endswith("/measures/A2.O2.M1")
    assert len(measure["DTSTAMP"]) == 16 and measure["DTSTAMP"].endswith("Z")
    assert "Campagne" in found["IND-01"]["SUMMARY"] or "Victimes" in found["IND-01"]["SUMMARY"]
    # The same item and date keep their UID.
    again = {e["URL"]: e["UID"] for e in events(unfold(client.get("/my/calendar.ics").data))}
    assert again[measure["URL"]] == measure["UID"]


def test_the_feed_in_arabic_folds_without_cutting_a_letter(client, login):
    login(client, "focal_pmp")
    lines = unfold(client.get("/my/calendar.ics?lang=ar").data)
    assert any("عدد الضحايا" in line for line in lines if line.startswith("SUMMARY:"))


def test_folding_and_escaping():
    long = "SUMMARY:" + "ب" * 100
    folded = fold(long).encode()
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode() == long
    from dashboard.web.calendar_feed import escape_text
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.mark.parametrize(("key", "status"), [(None, 401), ("admin", 403)])
def test_the_feed_refuses(client, login, key, status):
    login(client, key)
    response = client.get("/my/calendar.ics")
    assert response.status_code == status
    assert b"BEGIN:VCALENDAR" not in response.data


def test_the_secretariat_gets_every_body(client, login):
    login(client, "secretariat")
    response = client.get("/my/calendar.ics")
    assert response.status_code == 200
    assert len(events(unfold(response.data))) >= 3


def test_the_secretariat_chooses_a_body_and_hostile_values_are_answered(client, login):
    login(client, "secretariat")
    mj = events(unfold(client.get("/my/calendar.ics?entity=MJ").data))
    assert [e["URL"].rsplit("/", 1)[1] for e in mj] == ["A1.O1.M2"]
    for value in ["NOPE", "x" * 5000, "%00", "\x00", "MJ'--", "\u202e"]:
        assert client.get("/my/calendar.ics", query_string={"entity": value}).status_code == 404
    # A NUL is dropped (PostgreSQL refuses it in text): the body named is read.
    assert client.get("/my/calendar.ics", query_string={"entity": "MJ\x00"}).status_code == 200


def test_a_focal_point_cannot_ask_for_another_body(client, login):
    login(client, "focal_mj")
    assert client.get("/my/calendar.ics?entity=PMP").status_code == 403
    assert client.get("/my/calendar.ics?entity=MJ").status_code == 200
