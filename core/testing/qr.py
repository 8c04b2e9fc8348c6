"""Reading the QR codes a browser test sees on screen, as a phone's camera would."""

import io


def read_qr(png: bytes) -> list[str]:
    """The texts of the QR codes in a screenshot (Playwright's `locator.screenshot()`).

    Only QR symbols are looked for: with every format on, a QR code's stripes are now and then
    also read as a short 1-D barcode (ITF "7606" beside the code, about one screenshot in 300).
    """
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
