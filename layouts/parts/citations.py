"""A cited source on a page: its citation in the reader's language, with the address it names
(the source's ``via``, such as "cnclt.justice.gov.ma/?p=1932") as a link the page never fetches."""
from __future__ import annotations

import re

from dash import html

LINK = {"target": "_blank", "rel": "noopener noreferrer"}
# Lower-case host names only, so that an acronym such as "GLO.ACT" or a legal number such as
# "2.17.740" is never taken for an address.
ADDRESS = re.compile(r"(https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[\w/?=&%#~+.-]*)?)")


def cited(source: str) -> html.Span | str:
    """The citation, each address in it a link; "–" when there is none."""
    if not source:
        return "–"
    children: list = []
    last = 0
    for match in ADDRESS.finditer(source):
        address = match.group(2).rstrip(".")
        end = match.start(2) + len(address)
        children.append(source[last:match.start()])
        children.append(html.A(address, href=(match.group(1) or "https://") + address, dir="ltr", **LINK))
        last = end
    children.append(source[last:])
    return html.Span([c for c in children if c != ""], dir="auto")
