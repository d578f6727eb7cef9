"""Charts for the reports as inline SVG, each drawn from the same rows as the data table shown
with it (a chart is never the only way to read the figures). No JavaScript, nothing fetched:
the page and its PDF draw it alike. No queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

BLUE = "#1d70b8"
GREY = "#505a5f"
BLACK = "#0b0c0c"
RED = "#d4351c"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None  # None: no figure (drawn as "No data")
    highlight: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart: `svg` to show, `bars` for its data table."""

    id: str
    title: str
    description: str
    unit: str
    bars: tuple[Bar, ...]
    svg: Markup


def _number(value: float, unit: str) -> str:
    return f"{value:.1f}{unit}" if unit == "%" else f"{value:g}{unit}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: list[Bar],
    maximum: float = 100.0,
    unit: str = "%",
    marker: float | None = None,
    marker_label: str = "",
) -> Chart:
    """Bars from 0 to `maximum`, each under its label and followed by its value (labels of
    any length fit: they have the chart's whole width); `marker` draws a dashed line (a
    threshold) across them."""
    width, bar_width, row, label_gap = 640, 540, 50, 18
    height = row * len(bars) + (30 if marker is not None else 6)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{title_id} {desc_id}" focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    # The threshold first, so that the bars' values are drawn over it.
    if marker is not None:
        x = max(0.0, min(marker, maximum)) / maximum * bar_width
        bottom = row * len(bars)
        parts.append(
            f'<line x1="{x:.1f}" y1="{label_gap}" x2="{x:.1f}" y2="{bottom}" stroke="{RED}" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 20}" text-anchor="middle" font-size="13" '
            f'fill="{RED}">{escape(marker_label)}</text>'
        )
    for index, bar in enumerate(bars):
        y = index * row
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="14" fill="{BLACK}">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="0" y="{y + label_gap + 16}" font-size="14" fill="{GREY}">No data</text>'
            )
            continue
        length = max(0.0, min(bar.value, maximum)) / maximum * bar_width
        colour = BLUE if not bar.highlight else BLACK
        parts.append(
            f'<rect x="0" y="{y + label_gap + 2}" width="{length:.1f}" height="20" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{length + 6:.1f}" y="{y + label_gap + 17}" font-size="14" '
            f'fill="{BLACK}" stroke="#ffffff" stroke-width="4" paint-order="stroke">'
            f"{escape(_number(bar.value, unit))}</text>"
        )
    parts.append("</svg>")
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        unit=unit,
        bars=tuple(bars),
        svg=Markup("".join(parts)),  # noqa: S704 - every text in it is escaped above
    )
