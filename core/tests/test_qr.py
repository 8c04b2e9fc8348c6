import re

from core.qr import qr_svg


def test_a_qr_code_scales_to_its_box_instead_of_being_cut_off():
    svg = qr_svg("http://127.0.0.1:8011/members/card/123456/89f5d06540dead2a7c21/")
    head = svg[: svg.index(">")]
    assert re.search(r'viewBox="0 0 (\d+) \1"', head)  # square, sized by the page's CSS
    assert "width=" not in head and "height=" not in head
