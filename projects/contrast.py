"""Whether a stance colour can be told apart from the page in light and dark mode.

Highlights are drawn as a tint with an underline in the stance's colour, so the colour
itself must stand out from the page background: WCAG's 3:1 for graphical objects.
"""

from __future__ import annotations

# The page backgrounds of static/css/site.css (light and dark scheme).
BACKGROUNDS = {"light": "#fbfaf7", "dark": "#161614"}
MINIMUM = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def contrast_problems(colour: str) -> str:
    """"" when the colour has 3:1 against both backgrounds, else what falls short."""
    short = [
        f"{contrast(colour, background):.1f}:1 on the {mode} page"
        for mode, background in BACKGROUNDS.items()
        if contrast(colour, background) < MINIMUM
    ]
    if not short:
        return ""
    return (
        f"{colour} is hard to see: {' and '.join(short)} (at least {MINIMUM:g}:1 is needed). "
        "Choose a colour that is neither very light nor very dark."
    )
