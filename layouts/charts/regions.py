"""The rollout map of ``/regions``: the regions drawn from their outlines on plain axes,
without tiles or any outside request, coloured and patterned by stage."""
from __future__ import annotations

import math
import textwrap
from collections.abc import Callable

from flask_babel import gettext as _

from dashboard.i18n import fmt_number, isolate
from dashboard.models import ROLLOUT_STAGES
from dashboard.national.geo import Outline
from layouts.charts.base import base_layout

# Ordered stages in ColorBrewer's YlGnBu (safe for colour-blind readers), each with a fill
# pattern and the text colour that reads on it, so that the stage never rests on colour alone.
STAGE_STYLES = {
    "not_started": {"fill": "#ffffcc", "text": "#212529", "pattern": ""},
    "preparing": {"fill": "#a1dab4", "text": "#212529", "pattern": "/"},
    "pilot": {"fill": "#41b6c4", "text": "#212529", "pattern": "."},
    "operational": {"fill": "#225ea8", "text": "#ffffff", "pattern": "x"},
    None: {"fill": "#ffffff", "text": "#212529", "pattern": "\\"},  # nothing reported yet
}
MAP_HEIGHT = 640


def _wrapped(name: str) -> str:
    """A region's name on short lines, to fit inside the small northern regions."""
    return "<br>".join(textwrap.wrap(name, 11, break_on_hyphens=True))


def rollout_map(rows: list[dict], outlines: dict[str, Outline], lang: str, names: dict[str | None, str],
                hover: Callable[[dict], str]) -> tuple[dict, list]:
    """The regions coloured by stage, one filled polygon trace each, a legend entry per stage
    (with its count) and the names at the centroids; ``names`` are the stages', ``hover``
    writes a region's hover text. Returns the figure and the region code of each trace,
    which a click on a region (``curveNumber``) turns into its page."""
    stages = [*ROLLOUT_STAGES] + ([None] if any(r["stage"] is None for r in rows) else [])
    traces, codes = [], []
    for stage in stages:
        style = STAGE_STYLES[stage]
        members = [r for r in rows if r["stage"] == stage]
        legend = f"{names[stage]} ({fmt_number(len(members), lang)})"
        common = {"type": "scatter", "mode": "lines", "fill": "toself", "hoveron": "fills",
                  "fillcolor": style["fill"], "line": {"color": "#495057", "width": 0.8},
                  "fillpattern": {"shape": style["pattern"], "bgcolor": style["fill"], "fgcolor": "#343a40",
                                  "fgopacity": 0.3, "size": 7, "solidity": 0.2},
                  "legendgroup": stage or "none", "name": isolate(legend, lang)}
        if not members:  # still listed in the legend, with its zero
            traces.append({**common, "x": [None], "y": [None], "hoverinfo": "skip"})
            codes.append(None)
        for index, row in enumerate(members):
            x, y = outlines[row["code"]].xy()
            # A plain string ``text`` is what plotly shows when hovering a filled area.
            traces.append({**common, "x": x, "y": y, "text": isolate(hover(row), lang), "hoverinfo": "text",
                           "showlegend": index == 0})
            codes.append(row["code"])
    placed = [r for r in rows if r["code"] in outlines]
    traces.append({
        "type": "scatter", "mode": "text", "hoverinfo": "skip", "showlegend": False,
        "x": [outlines[r["code"]].label_at[0] for r in placed],
        "y": [outlines[r["code"]].label_at[1] for r in placed],
        "text": [isolate(_wrapped(r["name"]), lang) for r in placed],
        "textfont": {"size": 10, "color": [STAGE_STYLES[r["stage"]]["text"] for r in placed]},
    })
    codes.append(None)
    rtl = lang == "ar"
    latitudes = [o.label_at[1] for o in outlines.values()]
    hidden_axis = {"visible": False, "fixedrange": True}
    layout = base_layout(
        lang, "", height=MAP_HEIGHT,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        hovermode="closest", dragmode=False,
        legend={"orientation": "v", "y": 0.02, "yanchor": "bottom", "x": 0.02 if not rtl else 0.98,
                "xanchor": "right" if rtl else "left", "itemclick": False, "itemdoubleclick": False,
                "bgcolor": "rgba(255,255,255,0.85)", "title": {"text": isolate(_("Stage"), lang)}},
        xaxis=hidden_axis,
        # Degrees of longitude shrink with the latitude: equal distances stay equal on screen.
        yaxis={**hidden_axis, "scaleanchor": "x",
               "scaleratio": 1 / math.cos(math.radians(sum(latitudes) / len(latitudes)))},
    )
    return {"data": traces, "layout": layout}, codes
