"""The picture a shared result unfurls as in chat apps: a 1200x630 PNG drawn with Pillow.

Fonts: Debian's DejaVu Sans when it is installed (settings.CARD_FONT_DIR), else the font that
ships inside Pillow, so a card can always be drawn. No network, no external service.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
INK = (33, 37, 41)
MUTED = (90, 98, 106)
BACKGROUND = (255, 255, 255)
BAND = (13, 110, 253)  # the site's primary blue
TRACK = (226, 232, 240)


@dataclass(frozen=True)
class CardFacts:
    """What a card shows: only what the shared page shows."""

    fits: list[tuple[str, int]]  # (role name, percent), best first
    lean: str  # e.g. "MLOps engineer, a clear lean", in the active language
    version: int
    taken_on: str  # the date in words, in the active language
    name: str = ""  # the owner's name, only if they chose to show it


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(settings.CARD_FONT_DIR) / name
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _fit_text(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, bold=False):
    """The largest font up to `size` in which `text` fits `width`, and the text, cut with an
    ellipsis if even the smallest size is too wide (a long role or user name)."""
    for candidate in range(size, 20, -4):
        font = _font(candidate, bold)
        if draw.textlength(text, font=font) <= width:
            return font, text
    font = _font(24, bold)
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return font, text + "…"


def assessment_card_png(facts: CardFacts) -> bytes:
    """The card, its words in the active language (the cache keeps one per language)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=BAND)
    inner = WIDTH - 2 * MARGIN

    draw.text((MARGIN, 56), "careerguide", font=_font(34, bold=True), fill=BAND)
    title = _("%(name)s's career fit") % {"name": facts.name} if facts.name else _("A career fit")
    font, title = _fit_text(draw, title, 60, inner, bold=True)
    draw.text((MARGIN, 110), title, font=font, fill=INK)
    font, lean = _fit_text(draw, _("Leans to %(lean)s") % {"lean": facts.lean}, 36, inner)
    draw.text((MARGIN, 190), lean, font=font, fill=MUTED)

    top = 270
    label_width = 420
    bar_left, bar_right = MARGIN + label_width, WIDTH - MARGIN - 110
    for role, percent in facts.fits[:3]:
        font, role_text = _fit_text(draw, role, 36, label_width - 24)
        draw.text((MARGIN, top), role_text, font=font, fill=INK)
        draw.rounded_rectangle((bar_left, top + 4, bar_right, top + 40), radius=8, fill=TRACK)
        filled = bar_left + (bar_right - bar_left) * max(0, min(percent, 100)) // 100
        if filled > bar_left:
            draw.rounded_rectangle((bar_left, top + 4, filled, top + 40), radius=8, fill=BAND)
        draw.text((bar_right + 20, top), f"{percent}%", font=_font(36, bold=True), fill=INK)
        top += 78

    footer = _("Quiz version %(number)s · taken %(date)s") % {
        "number": facts.version,
        "date": facts.taken_on,
    }
    draw.text((MARGIN, HEIGHT - 80), footer, font=_font(28), fill=MUTED)

    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
