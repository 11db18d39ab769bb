"""Every page speaks the reader's language, data included, and mixed text reads in order.

Each public page, and each page of a focal point and of the secretariat, is opened in Arabic
and in French. Its visible text (charts included) must hold no English word: a word of the
English catalogue's messages, or of a short list of common English words, that French does
not share. Acronyms, codes, addresses and the proper names the data files mark as such are
allowed. In Arabic, every Latin word and every number with punctuation (a share, a span of
years, a date) inside Arabic text must be isolated, by Unicode isolates or by an element
that isolates (``<bdi>``, a ``dir`` attribute), or it can be drawn out of place.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from dashboard.i18n import LANGUAGE_NAMES
from dashboard.models import codes
from dashboard.national.activities import DATE_PRECISIONS
from dashboard.publishing.datasets import NOT_REPORTED, PUBLISHED, SUPPRESSED, WITHHELD
from tests.browser.test_validation_flow import log_in, log_out

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_PAGES = ["/", "/plan", "/implementation", "/indicators", "/indicators/{indicator}", "/axes/{axis}",
                "/measures/{measure}", "/entities", "/entities/MJ", "/statistics", "/regions", "/regions/MA-01",
                "/activities", "/partners", "/organisations", "/data", "/report", "/login"]
FOCAL_PAGES = ["/my", "/my/import", "/account/notifications", "/account/password"]
SECRETARIAT_PAGES = ["/review", "/statistics", "/admin/users", "/admin/audit", "/account/tokens"]

# Common English words that French does not use, beyond those of the catalogue's messages.
COMMON_ENGLISH = set(re.findall(r"\w+", """
the and of to with from for by this that these those which who what when where why how not none
no yes all any each every some more less than then there here was were been being has have had
will would should could may might must can cannot its their our your his her they them we you
report reports seed document news item support access justice training days ago today week month
year years demonstration data source sources page pages total people person persons victim victims
case cases women men girls boys children child adult adults shelter hotline calls decree council
"""))
# Names that are the same in every language: each language's own name in the language menu, a
# product's or a standard's name, a key of the keyboard, an HTTP header, examples of weak passwords.
PROPER = ("Excel", "Data Package", "Frictionless", "zip", "ISO 3166-1 alpha-2", "Enter", "Authorization Bearer",
          "aaaa", "abcd", "qwerty", "ics", "xlsx")
NAMES = {w.lower() for name in (*LANGUAGE_NAMES.values(), *PROPER) for w in re.findall(r"\w+", name)}
# The codes a reader meets in open data and exports ("count", "percent", "morocco"...).
VALUE_STATUSES = (PUBLISHED, SUPPRESSED, WITHHELD, NOT_REPORTED)
CODES = {w.lower() for values in [*vars(codes).values(), DATE_PRECISIONS, VALUE_STATUSES]
         if isinstance(values, tuple | list | dict)
         for value in values if isinstance(value, str) for w in re.findall(r"[A-Za-z]+", value)}
WORD = re.compile(r"[A-Za-zÀ-ÿ’']+")
URLISH = re.compile(r"\S+\.(?:ma|org|net|com|int|gov|eu|invalid)\S*|\S+@\S+|https?://\S+")

VISIBLE_TEXT_JS = """
() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        if (!parent || !node.textContent.trim()) { continue; }
        // Code as such: <code>, and grid cells of codes and stored values (.font-monospace); what
        // a user typed, shown as written.
        if (parent.closest('script, style, noscript, [hidden], .modebar, code, pre, kbd, samp, .font-monospace, '
                           + '[data-user-text]')) {
            continue;
        }
        if (!parent.getClientRects().length) { continue; }
        const style = getComputedStyle(parent);
        if (style.visibility === 'hidden' || style.display === 'none') { continue; }
        texts.push(node.textContent);
    }
    return texts;
}
"""

# A text node of Arabic with a run that is neither isolated in the text nor by its element.
UNISOLATED_JS = """
() => {
    const arabic = /[\\u0600-\\u06FF]/;
    const risky = /[A-Za-z]{2,}|\\d+[.,:/\\-]\\d+|\\d+\\s?%/;
    const isolated = /[\\u2066-\\u2068][^\\u2069]*\\u2069/g;
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    while (walker.nextNode()) {
        let node = walker.currentNode, parent = node.parentElement;
        if (!parent || parent.closest('script, style, noscript, .modebar, input, textarea, code, pre, .font-monospace, '
                                      + '[data-user-text]')) {
            continue;
        }
        // plotly.js splits a label into tspans: read the whole label.
        const label = parent.closest('svg text');
        if (label) {
            if (seen.has(label)) { continue; }
            seen.add(label);
            node = label;
        }
        if (!parent.getClientRects().length) { continue; }
        const rest = node.textContent.replace(isolated, ' ');
        if (!arabic.test(rest) || !risky.test(rest)) { continue; }
        if (parent.closest('bdi, [dir="ltr"], [dir="auto"]')) { continue; }
        const bidi = getComputedStyle(parent).unicodeBidi;
        if (bidi === 'isolate' || bidi === 'plaintext') { continue; }
        found.push(node.textContent.trim().slice(0, 120));
    }
    return found;
}
"""


@cache
def english_only_words() -> frozenset[str]:
    """Words of the English messages (and common English words) that French never uses."""
    with (ROOT / "dashboard/translations/fr/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    english, french = set(COMMON_ENGLISH), set(data_words("fr"))
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        english |= {w.lower() for text in ids for w in WORD.findall(re.sub(r"%\(\w+\)s", " ", text))}
        french |= {w.lower() for text in strings for w in WORD.findall(text or "")}
    return frozenset(w for w in english - french - allowed_names() if len(w) > 2)


@cache
def data_words(*keys: str) -> frozenset[str]:
    """The words of the data files' texts under ``keys`` (``fr``, or ``proper``...)."""
    words: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and isinstance(value, str):
                    words.update(w.lower() for w in WORD.findall(value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in (ROOT / "data").rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return frozenset(words)


def allowed_names() -> frozenset[str]:
    """Proper names the data files mark (``proper``, ``via``, an acronym), product and
    language names."""
    return data_words("proper", "via", "acronym", "publisher", "code") | NAMES


def english_words(texts: list[str], lang: str, codes_explained: bool = False) -> list[str]:
    """The visible words that are English (in Arabic: any Latin word not a name or code)."""
    found = []
    for text in texts:
        if text.strip().startswith(("{", "[")):
            continue  # a record's values as JSON, in the audit trail
        # A token with a code's punctuation ("user.create", "sex=female", "/api/v1") is a code.
        plain = " ".join(t for t in URLISH.sub(" ", text).split() if not re.search(r"[._:=/@]\w", t))
        for word in WORD.findall(plain):
            lower = word.lower()
            if word.isupper() or len(word) < 3 or lower in allowed_names() or (codes_explained and lower in CODES):
                continue  # an acronym, a code's letters, a proper name, a code the page explains
            if lower in english_only_words() or (lang == "ar" and re.fullmatch(r"[A-Za-z]+", word)):
                found.append(f"{word!r} in {text.strip()[:100]!r}")
    return found


def check_pages(page, paths: list[str], lang: str, codes: dict[str, str]) -> list[str]:
    problems = []
    for template in paths:
        path = template.format(**codes)
        page.open(path, lang)
        texts = page.page.evaluate(VISIBLE_TEXT_JS)
        # The open data page explains the codes of its files ("count: a number of people").
        found = english_words(texts, lang, codes_explained=path == "/data")
        problems += [f"{path} [{lang}] English: {w}" for w in dict.fromkeys(found)]
        if lang == "ar":
            problems += [f"{path} [ar] not isolated: {t!r}"
                         for t in dict.fromkeys(page.page.evaluate(UNISOLATED_JS))]
    return problems


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_public_pages_speak_the_readers_language(page, sample_codes, lang):
    problems = check_pages(page, PUBLIC_PAGES, lang, sample_codes)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_signed_in_pages_speak_the_readers_language(page, sample_codes, lang):
    log_in(page, "focal.mj")
    problems = check_pages(page, FOCAL_PAGES, lang, sample_codes)
    log_out(page)
    log_in(page, "secretariat")
    problems += check_pages(page, SECRETARIAT_PAGES, lang, sample_codes)
    log_out(page)
    assert not problems, "\n".join(problems)
