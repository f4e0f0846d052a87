"""Small server-rendered SVG charts: no chart library, no script, nothing from the internet.

Colours are presentation attributes (not `style`), so the page's CSP without 'unsafe-inline'
leaves them alone; every text is escaped. Sizes are in viewBox units: the SVG scales to the
width of its container, phones included.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1f6fb2", "#e07b00", "#2e8b57", "#b23b3b")
WIDTH = 360
FONT = 13


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = FONT) -> str:
    return format_html(
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="#333">{}</text>',
        f"{x:.1f}",
        f"{y:.1f}",
        size,
        anchor,
        text,
    )


def _legend(names: Sequence[str], y: float) -> list[str]:
    parts, x = [], 0.0
    for index, name in enumerate(names):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, y, name))
        x += 16 + FONT * (len(name) + 2)
    return parts


def _svg(height: float, title: str, parts: list[str]) -> SafeString:
    head = format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-label="{}"><title>{}</title>',
        WIDTH,
        f"{height:.0f}",
        title,
        title,
    )
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308 - parts are escaped


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]]
) -> SafeString:
    """Horizontal bars of rates (0 to 1), one group per label, one bar per series; a group's
    label above its bars, so that long names fit on a phone."""
    bar, gap, label_space = 14, 4, FONT + 6
    group = label_space + len(series) * (bar + gap) + 8
    top = 24
    plot = WIDTH - 60
    parts = _legend([name for name, _values in series], 14)
    for row, label in enumerate(labels):
        y = top + row * group
        parts.append(_text(0, y + FONT, label))
        for index, (_name, values) in enumerate(series):
            value = values[row]
            y_bar = y + label_space + index * (bar + gap)
            length = float(min(max(value or 0, 0), 1)) * plot
            colour = COLOURS[index % len(COLOURS)]
            parts.append(f'<rect x="0" y="{y_bar:.1f}" width="{plot}" height="{bar}" fill="#eee"/>')
            parts.append(
                f'<rect x="0" y="{y_bar:.1f}" width="{length:.1f}" height="{bar}" fill="{colour}"/>'
            )
            parts.append(_text(plot + 4, y_bar + bar - 2, percent(value), size=FONT - 1))
    return _svg(top + len(labels) * group, title, parts)


def line_chart(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> SafeString:
    """Lines of counts over the labels (days), with the largest value marked on the axis."""
    left, top, plot_w, plot_h = 36, 28, WIDTH - 44, 160
    highest = max([1, *(max(values, default=0) for _name, values in series)])
    steps = max(len(labels) - 1, 1)
    parts = _legend([name for name, _values in series], 14)
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>'
    )
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>')
    parts.append(_text(left - 4, top + FONT - 2, str(highest), anchor="end", size=FONT - 1))
    parts.append(_text(left - 4, top + plot_h, "0", anchor="end", size=FONT - 1))
    for index, (_name, values) in enumerate(series):
        points = " ".join(
            f"{left + plot_w * i / steps:.1f},{top + plot_h - plot_h * value / highest:.1f}"
            for i, value in enumerate(values)
        )
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
    if labels:
        parts.append(_text(left, top + plot_h + FONT + 4, labels[0], size=FONT - 1))
        parts.append(
            _text(left + plot_w, top + plot_h + FONT + 4, labels[-1], anchor="end", size=FONT - 1)
        )
    return _svg(top + plot_h + FONT + 10, title, parts)
