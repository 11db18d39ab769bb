"""Isolate the left-to-right runs and the placeholders of the Arabic catalogue's messages.

    python -m dashboard.devtools.isolate_catalogue dashboard/translations/ar/LC_MESSAGES/messages.po

``make extract-messages`` runs it: a translator writes plain Arabic, and every Latin word,
number or value put into a message keeps its place in right-to-left text, on pages, in
charts, exports, e-mails and the PDF alike. Running it twice changes nothing.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from dashboard.i18n import isolate_message


def isolate_catalogue(path: Path) -> int:
    """Rewrite the catalogue at ``path``; the number of messages changed."""
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="ar")
    changed = 0
    for message in catalogue:
        if not message.id or not message.string:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        isolated = tuple(isolate_message(s) if s else s for s in strings)
        if isolated != strings:
            message.string = isolated if isinstance(message.string, tuple) else isolated[0]
            changed += 1
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100)
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {isolate_catalogue(Path(name))} messages isolated")
