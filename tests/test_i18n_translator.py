"""dashboard.i18n's translator: the language of a request, of ``using_language``, or the default."""
from __future__ import annotations

import flask_babel
import pytest
from flask import Flask

from dashboard import i18n
from dashboard.i18n import current_lang, gettext, ngettext, using_language

NOT_STARTED = {"en": "Not started", "fr": "Non démarré", "ar": "لم ينطلق بعد"}
DAYS = "%(n)s day", "%(n)s days"


@pytest.fixture
def app() -> Flask:
    app = Flask("dashboard")  # the package's root: flask_babel finds dashboard/translations
    app.config["DEFAULT_LANG"] = "fr"
    i18n.init_app(app)
    return app


def test_without_a_language_or_an_app_messages_stay_in_english():
    assert current_lang() == "ar"
    assert gettext("Not started") == "Not started"
    assert ngettext(*DAYS, 2, n="2") == "2 days"


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_using_language_translates_and_formats(lang):
    with using_language(lang):
        assert current_lang() == lang
        assert gettext("Not started") == NOT_STARTED[lang]
    assert current_lang() == "ar"  # restored on leaving the block


def test_plural_forms_and_variables_as_flask_babel():
    with using_language("fr"):
        assert ngettext(*DAYS, 1, n="1") == "1 jour"
        assert ngettext(*DAYS, 3, n="3") == "3 jours"
        assert ngettext("%(num)d day", "%(num)d days", 4) == "4 days"  # num is given, untranslated msgid
    with using_language("ar"):
        assert ngettext(*DAYS, 2, n="2") == "يومان"
        hello = i18n.translations("ar").gettext("Hello %(name)s,")
        assert hello != "Hello %(name)s,"
        assert gettext("Hello %(name)s,", name="Amina") == hello % {"name": "Amina"}


def test_a_request_translates_into_its_language_as_flask_babel_does(app):
    for query, lang in (("?lang=en", "en"), ("?lang=ar", "ar"), ("", "fr")):
        with app.test_request_context(f"/{query}"):
            assert current_lang() == lang
            assert gettext("Not started") == flask_babel.gettext("Not started") == NOT_STARTED[lang]
    with app.test_request_context("/", headers={"Cookie": "lang=ar"}):
        assert gettext("Not started") == NOT_STARTED["ar"]


def test_using_language_inside_a_request_wins_as_force_locale_did(app):
    with app.test_request_context("/?lang=fr"):
        with using_language("ar"):
            assert gettext("Not started") == NOT_STARTED["ar"]
        assert gettext("Not started") == NOT_STARTED["fr"]


def test_an_app_without_a_request_uses_its_default_language(app):
    with app.app_context():
        assert current_lang() == "fr"
        assert gettext("Not started") == NOT_STARTED["fr"]
