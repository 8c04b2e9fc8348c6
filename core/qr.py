"""QR codes as inline SVG."""

import segno


def qr_svg(data: str) -> str:
    """An inline SVG QR code that takes the size its container's CSS gives it (`.qr svg`): a viewBox
    instead of a fixed width and height, so a long link's larger code is scaled down whole instead
    of cut off at the box's edge."""
    return segno.make(data, error="m").svg_inline(scale=1, omitsize=True)
