"""Reading the QR codes a browser test sees on screen, as a phone's camera would."""

import io


def read_qr(png: bytes) -> list[str]:
    """The texts of the QR codes in a screenshot (Playwright's `locator.screenshot()`)."""
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
