"""The open datasets as one Frictionless Data Package (v1, tabular): a ``datapackage.json``
descriptor with a Table Schema per resource, one CSV per resource, and a zip of them all.

CSV files are UTF-8 with a header of the fields' stable names; numbers are plain numbers,
booleans ``true``/``false``, dates ISO 8601, and an unknown or suppressed value an empty
cell (its status column says why). A text cell a spreadsheet would read as a formula is
neutralised, as in every export of the dashboard.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from dashboard.i18n import gettext as _
from dashboard.i18n import using_language
from dashboard.publishing.datasets import Dataset, OpenData
from dashboard.spreadsheets import csv_cell

PACKAGE_NAME = "cnclteh-trafficking-in-persons-open-data"
DESCRIPTOR = "datapackage.json"
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
# A fixed date for every member of the zip: the same data gives the same bytes.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def resource_path(dataset: Dataset) -> str:
    return f"{dataset.name}.csv"


def descriptor(data: OpenData, base_url: str | None = None) -> dict[str, Any]:
    """The package's descriptor. Resource paths are relative (the zip's layout) unless
    ``base_url`` is given: then each is that address plus the file, in the same language."""
    with using_language(data.lang):
        parts = [_("Open data of the monitoring dashboard of Morocco's national plan against trafficking in "
                   "persons: the plan, its measures and indicators, national statistics, the referral "
                   "mechanism's rollout by region, activities and partners' programmes.")]
        if data.has_demo_data:
            parts.append(_("The plan's axes, objectives, measures and indicators, and the values marked is_demo, "
                           "are an illustrative structure with demonstration figures until the commission "
                           "publishes the official plan: they are not official figures."))
        parts.append(_("Everyone gets the same public view: validated data only, restricted indicators left out, "
                       "and counts of victims from 1 to %(n)s suppressed (empty, with the status suppressed), "
                       "with the cells that would give them away withheld.", n=data.threshold - 1))
        description = " ".join(parts)
        sources = _sources(data)
        return {
            "profile": "tabular-data-package",
            "name": PACKAGE_NAME,
            "title": _("Trafficking in persons: national plan and response, open data"),
            "description": description,
            "language": data.lang,
            "licenses": [LICENSE],
            "sources": sources,
            "keywords": ["trafficking in persons", "Morocco", "SDG 16.2.2"],
            "resources": [_resource(d, base_url, data.lang) for d in data.datasets],
        }


def _sources(data: OpenData) -> list[dict[str, str]]:
    sources = [{"title": data.publisher}]
    statistics = data.dataset("statistics")
    seen = set()
    for row in statistics.rows if statistics else []:
        title = row["citation"] or row["document"]
        if title and title not in seen:
            seen.add(title)
            sources.append({"title": title, **({"path": row["url"]} if row["url"] else {})})
    return sources


def _resource(dataset: Dataset, base_url: str | None, lang: str) -> dict[str, Any]:
    path = resource_path(dataset)
    schema: dict[str, Any] = {"fields": [_field(f) for f in dataset.fields], "missingValues": [""]}
    if dataset.primary_key:
        schema["primaryKey"] = list(dataset.primary_key)
    if dataset.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(k.fields), "reference": {"resource": k.resource,
                                                                          "fields": list(k.reference)}}
                                 for k in dataset.foreign_keys]
    resource: dict[str, Any] = {
        "profile": "tabular-data-resource",
        "name": dataset.name,
        "path": f"{base_url}/{path}?lang={lang}" if base_url else path,
        "title": dataset.title,
        "description": dataset.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }
    if dataset.last_updated:
        resource["last_updated"] = dataset.last_updated.isoformat()
    return resource


def _field(field) -> dict[str, Any]:
    described: dict[str, Any] = {"name": field.name, "type": field.type, "title": field.title}
    if field.description:
        described["description"] = field.description
    constraints: dict[str, Any] = {}
    if field.required:
        constraints["required"] = True
    if field.enum:
        constraints["enum"] = list(field.enum)
    if constraints:
        described["constraints"] = constraints
    if field.type == "boolean":
        described["trueValues"], described["falseValues"] = ["true"], ["false"]
    return described


def descriptor_json(data: OpenData, base_url: str | None = None) -> bytes:
    return json.dumps(descriptor(data, base_url), ensure_ascii=False, indent=2).encode()


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return csv_cell(value) if kind == "string" else str(value)


def dataset_csv(dataset: Dataset) -> bytes:
    """One resource's CSV file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.field_names())
    for row in dataset.rows:
        writer.writerow([_cell(row[f.name], f.type) for f in dataset.fields])
    return out.getvalue().encode()


def package_zip(data: OpenData) -> bytes:
    """The descriptor (relative paths) and every CSV in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(DESCRIPTOR, _ZIP_TIME), descriptor_json(data), zipfile.ZIP_DEFLATED)
        for dataset in data.datasets:
            archive.writestr(zipfile.ZipInfo(resource_path(dataset), _ZIP_TIME), dataset_csv(dataset),
                             zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_package(data: OpenData, folder) -> None:
    """The descriptor and the CSV files in ``folder`` (a ``pathlib.Path``)."""
    (folder / DESCRIPTOR).write_bytes(descriptor_json(data))
    for dataset in data.datasets:
        (folder / resource_path(dataset)).write_bytes(dataset_csv(dataset))
