"""Make a copy of plotly.js's "basic" bundle fit to vendor: no outside address left.

The dashboard must work on an intranet without internet access. plotly.js ships defaults
that point at Plotly's servers (geo outlines, Chart Studio), the logo's link, and web links
in descriptions, error messages and licence banners. This empties the defaults, points the
link nowhere and replaces the other addresses by a note; the XML namespace names
(``http://www.w3.org/2000/svg``...) stay, as they are identifiers the DOM needs, never
fetched. Run it on a new copy of the package's file when updating:

    python -m dashboard.devtools.vendor_plotly dashboard/assets/vendor/plotly/plotly-basic.min.js
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

# Namespace names, not hosts: createElementNS and setAttributeNS need them verbatim.
XML_NAMESPACES = re.compile(r"http://www\.w3\.org/(?:2000/svg|2000/xmlns/|1999/xlink|1999/xhtml|XML/1998/namespace)")
ADDRESS = re.compile(r"https?://[^\s\"'`)<>]+")
# What becomes of an address, by where it stands; the rules name no host, so a new
# plotly.js release is made offline by the same rules.
DEFAULT = re.compile(r'dflt:"https?://[^"]*"')  # a default plotly.js would contact
LINK = re.compile(r'\.href="https?://[^"]*"')  # the logo's link
REMOVED = "(web address removed)"  # links in descriptions, messages and licence banners


def outside_addresses(text: str) -> list[str]:
    """Every web address in ``text`` but the XML namespace names."""
    return ADDRESS.findall(XML_NAMESPACES.sub("", text))


def make_offline(text: str) -> str:
    """``text`` with no outside address: defaults empty, links to nowhere, other addresses
    replaced by a note; the namespace names stay."""
    text = DEFAULT.sub('dflt:""', text)
    text = LINK.sub('.href="#"', text)
    return ADDRESS.sub(lambda m: m.group(0) if XML_NAMESPACES.fullmatch(m.group(0)) else REMOVED, text)


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    path.write_text(make_offline(path.read_text(encoding="utf-8")), encoding="utf-8")
    left = outside_addresses(path.read_text(encoding="utf-8"))
    print(f"{path}: " + (f"addresses left: {left}" if left else "no outside address"))
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
