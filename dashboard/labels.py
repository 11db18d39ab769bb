"""Translated labels of the stored vocabularies (status codes, units, kinds...).

Functions, not constants: ``gettext`` must run where the language is known (a request,
or ``dashboard.i18n.using_language``).
"""
from __future__ import annotations

import functools
from collections.abc import Callable

from dashboard.i18n import gettext as _
from dashboard.i18n import message_lang


def per_language(build: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
    """Build a table once per language (a grid row asks for it hundreds of times a request);
    each caller gets its own copy."""
    tables: dict[str, dict[str, str]] = {}

    @functools.wraps(build)
    def table() -> dict[str, str]:
        lang = message_lang()
        if lang not in tables:
            tables[lang] = build()
        return dict(tables[lang])

    table.cache_clear = tables.clear  # type: ignore[attr-defined]
    return table


@per_language
def measure_status() -> dict[str, str]:
    return {
        "not_started": _("Not started"),
        "in_progress": _("In progress"),
        "completed": _("Completed"),
        "delayed": _("Delayed"),
        "suspended": _("Suspended"),
        "cancelled": _("Cancelled"),
    }


@per_language
def schedule_status() -> dict[str, str]:
    return {
        "completed": _("Completed"),
        "on_track": _("On track"),
        "at_risk": _("At risk"),
        "delayed": _("Behind schedule"),
        "not_started": _("Not started"),
        "not_yet_due": _("Not yet due"),
    }


@per_language
def achievement_status() -> dict[str, str]:
    return {
        "met": _("Target met"),
        "near": _("Close to target"),
        "off_track": _("Off track"),
        "no_data": _("No data"),
        "no_target": _("No target"),
    }


@per_language
def activity_kind() -> dict[str, str]:
    return {
        "training": _("Training"),
        "awareness_campaign": _("Awareness campaign"),
        "workshop": _("Workshop"),
        "roundtable": _("Roundtable"),
        "study_visit": _("Study visit"),
        "international_meeting": _("International meeting"),
    }


@per_language
def priority() -> dict[str, str]:
    return {"high": _("High"), "medium": _("Medium"), "low": _("Low")}


@per_language
def funding_source() -> dict[str, str]:
    return {
        "state_budget": _("State budget"),
        "partner": _("Partner funding"),
        "mixed": _("State budget and partners"),
        "to_be_determined": _("To be determined"),
    }


@per_language
def indicator_type() -> dict[str, str]:
    return {"output": _("Output"), "outcome": _("Outcome"), "impact": _("Impact")}


@per_language
def direction() -> dict[str, str]:
    return {"increase": _("Higher is better"), "decrease": _("Lower is better")}


@per_language
def frequency() -> dict[str, str]:
    return {"annual": _("Annual"), "semiannual": _("Twice a year"), "quarterly": _("Quarterly")}


@per_language
def unit() -> dict[str, str]:
    return {"number": _("Number"), "percent": _("Percent"), "days": _("Days"), "MAD": _("MAD")}


@per_language
def entity_kind() -> dict[str, str]:
    return {
        "head_of_government": _("Head of Government"),
        "ministry": _("Government department"),
        "judicial": _("Judicial authority"),
        "security": _("Security service"),
        "national_institution": _("National institution"),
        "commission": _("National commission"),
        "civil_society": _("Civil society"),
        "international": _("International partner"),
    }


@per_language
def disaggregation() -> dict[str, str]:
    return {
        "sex": _("Sex"),
        "age_group": _("Age group"),
        "nationality": _("Nationality"),
        "exploitation_form": _("Form of exploitation"),
        "region": _("Region"),
        "place": _("Place of exploitation"),
        "scope": _("Nature of the case"),
        "service": _("Service received"),
        "court_of_appeal": _("Court of appeal"),
        "outcome": _("Outcome"),
        "custody": _("Custody"),
        "network": _("Criminal network"),
    }


@per_language
def disaggregation_value() -> dict[str, str]:
    return {
        "male": _("Male"),
        "female": _("Female"),
        "adult": _("Adult"),
        "child": _("Child"),
        "moroccan": _("Moroccan"),
        "foreign": _("Foreign"),
        "sexual": _("Sexual exploitation"),
        "forced_labour": _("Forced labour"),
        "begging": _("Forced begging"),
        "slavery_like": _("Slavery-like practices"),
        "forced_criminality": _("Forced criminality"),
        "other": _("Other"),
        "morocco": _("In Morocco"),
        "abroad": _("Abroad"),
        "domestic": _("Domestic"),
        "transnational": _("Transnational"),
        "servitude": _("Servitude"),
        "deception": _("Deception and displacement"),
        "smuggling": _("Clandestine migration"),
        "shelter": _("Shelter"),
        "medical": _("Medical care"),
        "psychological": _("Psychological support"),
        "legal_aid_criminal": _("Legal aid (criminal cases)"),
        "legal_aid_civil": _("Legal aid (civil cases)"),
        "rabat": _("Rabat"),
        "tangier": _("Tangier"),
        "marrakech": _("Marrakech"),
        "casablanca": _("Casablanca"),
        "fes": _("Fès"),
        "meknes": _("Meknès"),
        "nador": _("Nador"),
        "conviction": _("Conviction"),
        "acquittal": _("Acquittal"),
        "requalified": _("Handled as another offence"),
        "prosecuted": _("Prosecuted"),
        "closed": _("Closed"),
        "detained": _("Detained"),
        "at_liberty": _("At liberty"),
        "criminal_network": _("Criminal network involved"),
        "no_network": _("No criminal network"),
    }


@per_language
def statistic_series() -> dict[str, str]:
    """What a national statistic counts."""
    return {
        "victims_identified": _("Victims identified"),
        "cases_registered": _("Cases registered"),
        "cases_prosecuted": _("Cases prosecuted"),
        "persons_prosecuted": _("Persons prosecuted"),
        "persons_convicted": _("Persons convicted"),
        "acquitted": _("Persons acquitted"),
        "investigations": _("Investigations"),
        "suspects": _("Suspects"),
        "complaints": _("Complaints"),
        "victims_potential": _("Potential victims identified"),
        "victims_assisted": _("Victims assisted"),
        "victims_repatriated": _("Victims repatriated"),
        "decisions": _("Court decisions"),
        "hotline_calls": _("Calls to the hotline"),
        "specialised_prosecutors": _("Specialised prosecutors"),
    }


@per_language
def rollout_stage() -> dict[str, str]:
    """Stages of a region in the rollout of the national referral mechanism."""
    return {
        "not_started": _("Not started"),
        "preparing": _("Preparing"),
        "pilot": _("Pilot"),
        "operational": _("Operational"),
    }


@per_language
def role_names() -> dict[str, str]:
    """Translated account roles (the anonymous visitor included, for the audit trail)."""
    return {
        "public": _("Anonymous visitor"),
        "focal_point": _("Focal point"),
        "committee": _("Committee member"),
        "secretariat": _("Secretariat"),
        "admin": _("Administrator"),
    }


@per_language
def audit_action() -> dict[str, str]:
    """What each audit action means; the code itself stays in the CSV and the filter."""
    return {
        "data.load": _("Data files loaded"),
        "login.succeeded": _("Logged in"),
        "login.failed": _("Failed log-in"),
        "login.throttled": _("Log-in refused: too many attempts"),
        "logout": _("Logged out"),
        "user.create": _("Account created"),
        "user.update": _("Account changed"),
        "user.activate": _("Account reactivated"),
        "user.deactivate": _("Account deactivated"),
        "user.reset_password": _("Password reset"),
        "user.password_link": _("Password link sent"),
        "user.password_set": _("Password chosen from a link"),
        "user.password_change": _("Password changed"),
        "measure_update.submit": _("Measure update submitted"),
        "measure_update.resubmit": _("Measure update resubmitted"),
        "measure_update.return": _("Measure update returned"),
        "measure_update.approve": _("Measure update approved"),
        "indicator_value.submit": _("Indicator value submitted"),
        "indicator_value.resubmit": _("Indicator value resubmitted"),
        "indicator_value.return": _("Indicator value returned"),
        "indicator_value.approve": _("Indicator value approved"),
        "statistic.submit": _("National figure submitted"),
        "statistic.resubmit": _("National figure resubmitted"),
        "statistic.return": _("National figure returned"),
        "statistic.approve": _("National figure approved"),
        "rollout_update.submit": _("Rollout stage submitted"),
        "rollout_update.resubmit": _("Rollout stage resubmitted"),
        "rollout_update.return": _("Rollout stage returned"),
        "rollout_update.approve": _("Rollout stage approved"),
        "measure_update.withdraw": _("Measure update withdrawn"),
        "measure_update.remove_evidence": _("Evidence removed from a measure update"),
        "indicator_value.withdraw": _("Indicator value withdrawn"),
        "indicator_value.remove_evidence": _("Evidence removed from an indicator value"),
        "comment.add": _("Comment added"),
        "import.confirm": _("Reporting file sent"),
        "import.approve": _("Rows of a reporting file approved"),
        "import.return": _("Rows of a reporting file returned"),
    }
