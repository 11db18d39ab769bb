"""Which passwords are accepted, after NIST SP 800-63B (section 5.1.1.2).

At least 12 characters, no composition rules, and no password that is common or built from
the context: the person's name, their e-mail address, the site's own words. The estimate is
zxcvbn's (a maintained checker that knows common passwords, words, names, keyboard patterns,
repeats, sequences and dates); its feedback is English only, so the messages are ours.

Messages (refusals, notices) are in the current language of ``dashboard.i18n``: the
request's, or the one set with ``using_language`` outside a request.
"""
from __future__ import annotations

import re

from zxcvbn import zxcvbn

from dashboard.i18n import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 128  # NIST asks for at least 64; long enough for any pass phrase
# zxcvbn refuses longer input; a longer password is judged on this prefix.
CHECKED_LENGTH = 72
# zxcvbn's score 3: about 10^8 guesses or more ("safely unguessable" online).
MIN_SCORE = 3
# Words of the site and its owners: a password made of them is guessable by anyone.
SITE_WORDS = (
    "cnclteh", "pnlteh", "dashboard", "justice", "ministry", "ministere", "commission",
    "traite", "trafficking", "tableau", "bord", "maroc", "morocco", "admin",
    "secretariat", "focal", "monitor",
)
# Left once the context words are taken out, fewer letters than this are no password.
MIN_OWN_LETTERS = 4
_WORD_SPLIT = re.compile(r"[^\w]+|_")


def context_words(email: str = "", name: str = "") -> list[str]:
    """The words a password must not be made of, for this account (lower case)."""
    email = (email or "").lower()
    local, _sep, domain = email.partition("@")
    words = {email, local, *(_WORD_SPLIT.split(local)), *(domain.split(".")),
             (name or "").lower(), *(_WORD_SPLIT.split((name or "").lower())), *SITE_WORDS}
    return sorted((w for w in words if len(w) >= 3), key=len, reverse=True)


def problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is refused, in the user's language; ``None`` if it is accepted."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        return _("The password must have at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("The password can have at most %(n)d characters.", n=MAX_LENGTH)
    if "\x00" in password:
        return _("The password cannot contain this character.")
    words = context_words(email, name)
    if _own_letters(password, words) < MIN_OWN_LETTERS:
        return _context_message()
    result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return None
    return _weakness(result["sequence"]) + " " + _(
        "A few unrelated words make a strong password that is easy to remember.")


def _own_letters(password: str, words: list[str]) -> int:
    """How many letters remain once the context words are removed."""
    rest = password.lower()
    for word in words:
        rest = rest.replace(word, " ")
    return sum(1 for char in rest if char.isalpha())


def _context_message() -> str:
    return _("The password cannot be made of your name, your e-mail address or the name of this site.")


def _weakness(sequence: list[dict]) -> str:
    """Our message for the main weakness zxcvbn found."""
    patterns = {(m.get("pattern"), m.get("dictionary_name")) for m in sequence}
    if any(dictionary == "user_inputs" for _pattern, dictionary in patterns):
        return _context_message()
    if any(dictionary == "passwords" for _pattern, dictionary in patterns):
        return _("This password is one of the most common ones.")
    if any(pattern == "repeat" for pattern, _dictionary in patterns):
        return _("Repeated characters or words, such as \"aaaa\", are easy to guess.")
    if any(pattern == "sequence" for pattern, _dictionary in patterns):
        return _("Sequences such as \"abcd\" or \"1234\" are easy to guess.")
    if any(pattern == "spatial" for pattern, _dictionary in patterns):
        return _("Rows of keys, such as \"qwerty\", are easy to guess.")
    return _("This password is too easy to guess.")
