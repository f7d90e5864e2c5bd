"""A series and its expected band as inline SVG, rendered on the server (no JavaScript; styled by
classes in nmt.css, which the CSP allows, instead of inline styles)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 26


def _n(value: float) -> str:
    return f"{value:.1f}"


def series_svg(points: Sequence, *, title: str) -> SafeString:
    """Bars for the published counts, a band from the expected count to the upper limit, and the
    months that signalled in a warning colour. ``points`` have ``month``, ``published``,
    ``expected``, ``upper`` and ``alarm``."""
    values = [p.published or 0 for p in points] + [p.upper or 0 for p in points]
    top = max([*values, 4])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points), 1)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    band_upper = [
        (LEFT + step * (i + 0.5), y(p.upper)) for i, p in enumerate(points) if p.upper is not None
    ]
    band_lower = [
        (LEFT + step * (i + 0.5), y(p.expected))
        for i, p in enumerate(points)
        if p.expected is not None
    ]
    band = ""
    if band_upper and band_lower:
        outline = band_upper + band_lower[::-1]
        band = format_html(
            '<polygon class="band" points="{}"></polygon>'
            '<polyline class="expected" points="{}"></polyline>',
            " ".join(f"{x:.1f},{yy:.1f}" for x, yy in outline),
            " ".join(f"{x:.1f},{yy:.1f}" for x, yy in band_lower),
        )
    bars = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
        (
            (
                "bar alarm" if p.alarm else "bar",
                _n(LEFT + step * i + step * 0.15),
                _n(y(p.published or 0)),
                _n(step * 0.7),
                _n(plot_h - (y(p.published or 0) - TOP)),
                p.month,
                p.published if p.published is not None else "..",
            )
            for i, p in enumerate(points)
        ),
    )
    ticks = format_html_join(
        "",
        '<text class="{}" x="{}" y="{}">{}</text>',
        (
            (
                "tick last" if i == len(points) - 1 else "tick",
                _n(LEFT + step * (i + 0.5)),
                HEIGHT - 8,
                p.month,
            )
            for i, p in enumerate(points)
            if i % 6 == 0 or i == len(points) - 1
        ),
    )
    axis = format_html(
        '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<text class="tick" x="4" y="{}">{}</text><text class="tick" x="4" y="{}">0</text>',
        LEFT,
        _n(TOP + plot_h),
        WIDTH - RIGHT,
        _n(TOP + plot_h),
        _n(TOP + 8),
        top,
        _n(TOP + plot_h),
    )
    return format_html(
        '<svg class="signal-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>{}{}{}{}</svg>",
        WIDTH,
        HEIGHT,
        _("%(title)s: persons per month and the expected band") % {"title": title},
        title,
        band,
        bars,
        axis,
        ticks,
    )
