"""Make a copy of plotly.js's "basic" bundle fit to vendor: no outside address left.

The dashboard must work on an intranet without internet access. plotly.js ships defaults
that point at Plotly's servers (geo outlines, Chart Studio, the logo's link) and web links
in descriptions, error messages and licence banners. This replaces each with a local path
or a name; the XML namespace names (``http://www.w3.org/2000/svg``...) stay, as they are
identifiers the DOM needs, never fetched. Run it on a new copy when updating:

    python -m dashboard.devtools.vendor_plotly dashboard/assets/vendor/plotly/plotly-basic.min.js
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPLACEMENTS = {
    # Defaults plotly.js would contact: geo outlines (not in this bundle) and Chart Studio.
    'dflt:"https://cdn.plot.ly/un/"': 'dflt:"/assets/vendor/plotly/topojson/"',
    'dflt:"https://cloud.plotly.com/newchart"': 'dflt:""',
    'r.href="https://plotly.com/"': 'r.href="#"',
    # Links in attribute descriptions and error messages: names instead.
    '"https://github.com/d3/d3-format/tree/v1.4.5#d3-format"': '"d3-format v1.4.5"',
    '"https://github.com/d3/d3-time-format/tree/v2.2.3#locale_format"': '"d3-time-format v2.2.3 (locale format)"',
    "see https://plotly.com/javascript/animations/": "see plotly.js's documentation on animations",
    # Licence banners: the notices stay, without their web addresses.
    "MIT License: http://getify.mit-license.org": "MIT License",
    "(@voidqk), http://syntheti.cc": "(@voidqk)",
    "Project Home: https://github.com/voidqk/polybooljs": "Project Home: github, voidqk/polybooljs",
}
# Namespace names, not hosts: createElementNS and setAttributeNS need them verbatim.
XML_NAMESPACES = re.compile(r"http://www\.w3\.org/(?:2000/svg|2000/xmlns/|1999/xlink|1999/xhtml|XML/1998/namespace)")
ADDRESS = re.compile(r"https?://[^\s\"'`)<>]+")


def outside_addresses(text: str) -> list[str]:
    """Every web address in ``text`` but the XML namespace names."""
    return ADDRESS.findall(XML_NAMESPACES.sub("", text))


def make_offline(text: str) -> str:
    for old, new in REPLACEMENTS.items():
        if old not in text:
            raise ValueError(f"not found (another plotly.js version?): {old}")
        text = text.replace(old, new)
    left = outside_addresses(text)
    if left:
        raise ValueError(f"outside addresses left, add them to REPLACEMENTS: {sorted(set(left))}")
    return text


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    path.write_text(make_offline(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{path}: no outside address")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
