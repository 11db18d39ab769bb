"""The password rules (NIST SP 800-63B): 12 characters or more, no composition rules, and no
common or context-specific password, judged by zxcvbn with the account's own words."""
from __future__ import annotations

import pytest

from dashboard.errors import InvalidInput
from dashboard.workflow import accounts, passwords
from helpers import PASSWORD

EMAIL, NAME = "nouvelle.personne@justice.gov.ma", "Nouvelle Personne"


@pytest.mark.parametrize("password", [
    PASSWORD,
    "browser-test-password",  # the browser tests' demonstration password
    "purple elephants dance quietly",  # lower case only: no composition rules
    "ثلاث كلمات عربية طويلة",
    "Tr0ub4dor&3-horse",
    "x" * 3 + " a long pass phrase with words " * 4,  # longer than zxcvbn reads: judged on its start
])
def test_accepted(password):
    assert passwords.problem(password, EMAIL, NAME) is None


@pytest.mark.parametrize("password, words", [
    ("short", "at least 12 characters"),
    ("", "at least 12 characters"),
    (None, "at least 12 characters"),
    (123456789012345, "at least 12 characters"),
    ("x" * 129, "at most 128 characters"),
    ("a\x00" + PASSWORD, "cannot contain"),
    ("aaaaaaaaaaaa", "Repeated characters"),
    ("password1234", "most common"),
    ("iloveyou12345", "most common"),
    ("abcdefghijklmnop", "Sequences"),
    ("qwertyuiopasdf", "most common"),
    (EMAIL, "e-mail address"),
    ("nouvelle.personne", "e-mail address"),
    ("NouvellePersonne2026", "e-mail address"),
    ("Personne.Nouvelle!", "e-mail address"),
    ("cnclteh-dashboard", "name of this site"),
    ("justice-2026-2027", "name of this site"),
])
def test_refused_with_a_message_that_says_why(password, words):
    problem = passwords.problem(password, EMAIL, NAME)
    assert problem and words in problem


def test_the_service_refuses_with_the_password_field():
    with pytest.raises(InvalidInput) as refused:
        accounts.check_password("password1234", EMAIL, NAME)
    assert refused.value.field == "password"


def test_generated_passwords_pass():
    for _n in range(200):
        assert passwords.problem(accounts.generate_password(), "admin@demo.cnclteh.invalid", "Administrator") is None


def test_a_weak_demonstration_password_is_refused(session):
    with pytest.raises(InvalidInput):
        accounts.ensure_demo_accounts(session, "demo12345678")
    assert accounts.ensure_demo_accounts(session, "browser-test-password")
