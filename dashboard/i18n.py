"""Language selection, translation and locale-aware formatting (Arabic, French, English).

The current language, in this order:

- inside ``using_language(lang)`` (the command line, e-mails written in the recipient's
  language, tests): that language;
- inside a web request: ``?lang=`` (which also sets a cookie), then the cookie, then
  ``DASHBOARD_DEFAULT_LANG``. Dash callbacks are POSTs without the query string, so the
  cookie is what carries the choice between requests;
- otherwise the application's ``DEFAULT_LANG`` when an application is active, else "ar".

``gettext`` and ``ngettext`` translate into it with the catalogues of dashboard/translations,
so services translate their messages without a Flask application. One exception keeps the
old behaviour: with neither ``using_language`` nor an application, messages stay in English,
the source language (services called bare, as in unit tests).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, support
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.lists import format_list
from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel

from dashboard.config import LANGUAGES

LANG_COOKIE = "lang"
RTL_LANGUAGES = {"ar"}
# Morocco writes Arabic with Western digits; ar_MA and fr_MA give the local conventions.
BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}

# Unicode isolates keep a number or a percentage on the right side of an Arabic label
# inside plotly.js, which lays text out left to right.
RLI, LRI, FSI, PDI = "\u2067", "\u2066", "\u2068", "\u2069"
# A run that reads left to right inside Arabic: Latin words, numbers, codes, links, dates.
LTR_RUN = re.compile(r"[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.,:/?=&%_+'’\-]*"
                     r"(?:[ \u00A0\u202F]+[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.,:/?=&%_+'’\-]*)*")


TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DEFAULT_LANG = "ar"
SOURCE_LANG = "en"  # msgids are English

# Set by using_language(); None: the request's language, or the application's default.
_chosen_lang: ContextVar[str | None] = ContextVar("dashboard_language", default=None)


def init_app(app: Flask) -> None:
    # flask_babel still serves the modules that import its gettext; it follows current_lang().
    Babel(app, locale_selector=current_lang, default_translation_directories="translations")
    app.after_request(_remember_lang)


@contextmanager
def using_language(lang: str) -> Iterator[str]:
    """Translate and format in ``lang`` inside the block, in a request or not."""
    token = _chosen_lang.set(lang)
    try:
        yield lang
    finally:
        _chosen_lang.reset(token)


def current_lang() -> str:
    chosen = _chosen_lang.get()
    if chosen is not None:
        return chosen
    if not has_request_context():
        return current_app.config.get("DEFAULT_LANG", DEFAULT_LANG) if has_app_context() else DEFAULT_LANG
    if "lang" not in g:
        candidates = (request.args.get("lang"), request.cookies.get(LANG_COOKIE))
        g.lang = next((c for c in candidates if c in LANGUAGES), current_app.config["DEFAULT_LANG"])
    return g.lang


@cache
def translations(lang: str) -> support.NullTranslations:
    """The compiled catalogue of ``lang`` (English, the source language, has none)."""
    return support.Translations.load(str(TRANSLATIONS_DIR), [lang], "messages")


def message_lang() -> str:
    """The language ``gettext`` answers in now (the source language outside an app)."""
    if _chosen_lang.get() is None and not has_app_context():
        return SOURCE_LANG
    return current_lang()


def _messages() -> support.NullTranslations:
    return translations(message_lang())


def gettext(msgid: str, **variables) -> str:
    """``msgid`` in the current language, %-formatted with ``variables`` (as flask_babel's)."""
    text = _messages().gettext(msgid)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The plural form for ``num`` in the current language, %-formatted with ``variables``
    and ``num`` (as flask_babel's)."""
    variables.setdefault("num", num)
    return _messages().ngettext(singular, plural, num) % variables


_ = gettext


def _remember_lang(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(
            LANG_COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config.get("ENV") == "production",
            httponly=False,  # read by nothing but harmless; Lax keeps it first-party
        )
    return response


def direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[lang])


# Moroccan French shortens June to "jui.", which reads as July ("juil."): dates use French's.
DATE_LOCALES = {**BABEL_LOCALES, "fr": "fr"}


def _date_locale(lang: str) -> Locale:
    return Locale.parse(DATE_LOCALES[lang])


@cache
def _pattern(kind: str, decimals: int, lang: str = "en") -> babel_numbers.NumberPattern:
    # Parsing a locale or a pattern costs ~0.3 ms; pages format hundreds of numbers.
    if kind == "percent" and decimals == 0:
        return _locale(lang).percent_formats[None]  # "46 %" in French, "46%" in English
    fraction = "." + "0" * decimals if decimals else ""
    text = {"number": f"#,##0{fraction}", "percent": f"#,##0{fraction}%"}[kind]
    return babel_numbers.parse_pattern(text)


def _isolated(text: str, lang: str) -> str:
    """A formatted number, share, amount or date between isolates in Arabic, so that its
    separators and signs stay with it inside right-to-left text (a bare integer needs none)."""
    return f"{FSI}{text}{PDI}" if lang in RTL_LANGUAGES and not text.isdigit() else text


@lru_cache(maxsize=16384)
def fmt_number(value: float | Decimal | None, lang: str, decimals: int = 0) -> str:
    # Cached like fmt_date: tables repeat values, and Babel takes ~25 µs a number.
    if value is None:
        return "–"
    return _isolated(_pattern("number", decimals).apply(value, _locale(lang)), lang)


def fmt_percent(value: float | None, lang: str, decimals: int = 0) -> str:
    """Format a 0-100 percentage (progress) in the locale's style."""
    if value is None:
        return "–"
    return _isolated(_pattern("percent", decimals, lang).apply(value / 100, _locale(lang)), lang)


@lru_cache(maxsize=8192)
def fmt_date(value: dt.date | None, lang: str, style: str = "medium") -> str:
    # Cached: a table of a thousand measures repeats the same few hundred dates.
    if value is None:
        return "–"
    return _isolated(babel_dates.format_date(value, format=style, locale=_date_locale(lang)), lang)


@lru_cache(maxsize=512)
def fmt_month(value: dt.date, lang: str) -> str:
    """"janv. 2025", "يناير 2025": month labels for date axes (plotly's are English)."""
    return babel_dates.format_date(value, format="MMM y", locale=_date_locale(lang))


def fmt_mad(value: float | Decimal | None, lang: str) -> str:
    if value is None:
        return "–"
    return _isolated(babel_numbers.format_currency(
        value, "MAD", format="#,##0 ¤", locale=_locale(lang), currency_digits=False
    ), lang)


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    """A value in its unit: a percentage, an amount in dirhams, days, or a plain number."""
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    if unit == "percent":
        return fmt_percent(value, lang, decimals)
    if unit == "MAD":
        return fmt_mad(value, lang)
    if unit == "days":
        return ngettext("%(n)s day", "%(n)s days", int(value), n=fmt_number(value, lang, decimals))
    return fmt_number(value, lang, decimals)


def fmt_list(items: list[str], lang: str) -> str:
    """"2025, 2026" in French, "2025 و2026" in Arabic."""
    return format_list(items, locale=_locale(lang)) if items else "–"


def isolate(text: str, lang: str) -> str:
    """Wrap a chart label so mixed Arabic and numbers keep their order in plotly.js."""
    return f"{RLI}{text}{PDI}" if lang in RTL_LANGUAGES else text


def isolate_runs(text: str, lang: str) -> str:
    """In Arabic, each left-to-right run of ``text`` (a Latin name, a number, a date, a link)
    between isolates, so that it keeps its place and its punctuation in right-to-left text."""
    if lang not in RTL_LANGUAGES or not text:
        return text
    return LTR_RUN.sub(lambda run: f"{LRI}{run.group(0).rstrip('.,:')}{PDI}"
                       + run.group(0)[len(run.group(0).rstrip('.,:')):], text)


ISOLATED = re.compile("([\u2066-\u2068][^\u2069]*\u2069)")
PLACEHOLDER = re.compile(r"(%\(\w+\)[sd]|%[sd])")


def isolate_message(text: str) -> str:
    """An Arabic message with each placeholder between first-strong isolates (its value may
    be Arabic or Latin) and each left-to-right run between isolates; what is isolated stays."""
    pieces = []
    for piece in ISOLATED.split(text):
        if ISOLATED.fullmatch(piece):
            pieces.append(piece)
            continue
        for part in PLACEHOLDER.split(piece):
            pieces.append(f"{FSI}{part}{PDI}" if PLACEHOLDER.fullmatch(part) else isolate_runs(part, "ar"))
    return "".join(pieces)


def localized(obj, field: str, lang: str) -> str:
    """``obj.<field>_<lang>``, falling back to English then French when empty."""
    for candidate in (lang, "en", "fr"):
        value = getattr(obj, f"{field}_{candidate}", None)
        if value:
            return value
    return ""


# Times are stored as naive UTC; people read them in Morocco's time.
MOROCCO = ZoneInfo("Africa/Casablanca")


def fmt_datetime(value: dt.datetime | None, lang: str) -> str:
    """A naive UTC timestamp from the database, in Morocco's time and the user's language."""
    if value is None:
        return "–"
    local = value.replace(tzinfo=dt.UTC).astimezone(MOROCCO)
    locale = _date_locale(lang)
    # The locale's own way of joining a date and a time, without the seconds.
    return str(locale.datetime_formats["medium"]).format(
        babel_dates.format_time(local, format="short", tzinfo=MOROCCO, locale=locale),
        babel_dates.format_date(local, format="medium", locale=locale),
    )


def fmt_timestamp(value: dt.datetime | None, lang: str, seconds: bool = False) -> str:
    """A stored (naive UTC) time in Morocco's time, "2026-11-22 14:05": sortable as text."""
    if value is None:
        return "–"
    moment = value.replace(tzinfo=dt.UTC).astimezone(MOROCCO)
    pattern = "yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm"
    return babel_dates.format_datetime(moment, pattern, tzinfo=MOROCCO, locale=DATE_LOCALES[lang])
