"""Every user-facing string is translated into Arabic and French, placeholders intact."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dashboard.i18n import isolate_message

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "dashboard" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def source_messages(tmp_path: Path) -> set:
    """Message ids found in the code right now, as `make extract-messages` finds them."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
         "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "--no-location",
         "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(pot, "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_catalog_is_complete_and_placeholders_match(lang):
    problems = []
    for message in catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            # Arabic plural forms for one and two may spell the number out.
            if set(PLACEHOLDER.findall(text)) - expected:
                problems.append(f"unknown placeholder in {text!r} for {ids[0]!r}")
        if not any(set(PLACEHOLDER.findall(t)) == expected for t in strings):
            problems.append(f"placeholders differ in {strings!r} for {ids[0]!r}")
    assert problems == []


def test_arabic_does_not_use_direction_sensitive_symbols():
    for message in catalog("ar"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert "<" not in text and ">" not in text, text


def test_arabic_messages_isolate_their_latin_runs_and_values():
    """Each Latin word, number or value inside an Arabic message sits between isolates, so
    it keeps its place in right-to-left text (``make extract-messages`` puts them there)."""
    unisolated = [text for message in catalog("ar") if message.id
                  for text in (message.string if isinstance(message.string, tuple) else (message.string,))
                  if text and isolate_message(text) != text]
    assert unisolated == []


def test_catalogs_cover_every_string_in_the_code(tmp_path):
    in_code = source_messages(tmp_path)
    for lang in ("ar", "fr"):
        translated = {m.id for m in catalog(lang) if m.id and m.string}
        missing = sorted(str(m) for m in in_code - translated)
        assert missing == [], f"run `make extract-messages` and translate for {lang}: {missing}"
