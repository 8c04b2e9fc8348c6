import re
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.validators import (
    id_check_char,
    mask_id_number,
    mask_mobile,
    normalize_text,
    parse_id_number,
    uscc_check_char,
    validate_mobile,
    validate_uscc,
)

TODAY = date(2026, 11, 25)


def test_uscc_known_valid_code():
    # A published example code (Huawei Technologies Co., Ltd.)
    assert validate_uscc("914403001922038216") == "914403001922038216"


def test_uscc_normalizes_full_width_spaces_and_case():
    assert validate_uscc(" ９１４４０３００１９２２０３８２１６ ") == "914403001922038216"


def test_uscc_wrong_check_character():
    with pytest.raises(ValidationError) as e:
        validate_uscc("914403001922038217")
    assert e.value.messages == ["统一社会信用代码校验位不正确，请核对。"]


def test_uscc_wrong_length_and_forbidden_letters():
    with pytest.raises(ValidationError, match="应为18位，当前为17位"):
        validate_uscc("91440300192203821")
    with pytest.raises(ValidationError, match="不允许的字符"):
        validate_uscc("9144030019220382IO")


def test_uscc_check_char_computation():
    assert uscc_check_char("91440300192203821") == "6"


def test_id_number_valid_with_x_check_digit():
    body = "11010519491231002"
    assert id_check_char(body) == "X"
    code, birth, sex = parse_id_number(body + "x", today=TODAY)
    assert (code, birth, sex) == ("11010519491231002X", date(1949, 12, 31), "F")


def test_id_number_derives_male_from_odd_17th_digit():
    body = "44030419900101001"
    code, birth, sex = parse_id_number(body + id_check_char(body), today=TODAY)
    assert birth == date(1990, 1, 1)
    assert sex == "M"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101051949123100", "身份证号应为18位，当前为16位。"),
        ("11010519491231002Y", "身份证号前17位应为数字，最后一位为数字或X。"),
        ("110105194912310021", "身份证号校验位不正确，请核对。"),
    ],
)
def test_id_number_errors(value, message):
    with pytest.raises(ValidationError) as e:
        parse_id_number(value, today=TODAY)
    assert e.value.messages == [message]


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ("99999919900101123", False),
        ("00010119900101123", False),
        ("81000019900101123", True),
        ("65010219900101123", True),
    ],
)
def test_id_number_province_code(body, ok):
    value = body + id_check_char(body)
    if ok:
        assert parse_id_number(value, today=TODAY)[0] == value
    else:
        with pytest.raises(ValidationError) as e:
            parse_id_number(value, today=TODAY)
        assert e.value.messages == [f"身份证号前两位“{body[:2]}”不是有效的省级行政区划代码，请核对。"]


def test_id_number_impossible_birth_date():
    body = "11010519900230001"  # 30 February
    with pytest.raises(ValidationError) as e:
        parse_id_number(body + id_check_char(body), today=TODAY)
    assert e.value.messages == ["身份证号中的出生日期不存在。"]


def test_id_number_age_out_of_range():
    body = "11010520150101001"
    with pytest.raises(ValidationError) as e:
        parse_id_number(body + id_check_char(body), today=TODAY)
    assert e.value.messages == ["身份证号对应年龄为11岁，不在16至100岁之间。"]
    body = "11010520300101001"  # born in the future: no negative age
    with pytest.raises(ValidationError) as e:
        parse_id_number(body + id_check_char(body), today=TODAY)
    assert e.value.messages == ["身份证号中的出生日期晚于今天，请核对。"]


def test_a_landline_is_named_as_such():
    with pytest.raises(ValidationError) as e:
        validate_mobile("0571-88886666")
    assert e.value.messages == [
        "“0571-88886666”像是固定电话。这里只登记手机号（以1开头的11位数字），没有手机号可留空。"
    ]


def test_mobile_normalization():
    assert validate_mobile("+86 138-0013-8000") == "13800138000"
    assert validate_mobile("１３８００１３８０００") == "13800138000"
    with pytest.raises(ValidationError) as e:
        validate_mobile("12800138000")
    assert e.value.messages == ["“128****8000”不是有效的手机号：第二位应为3至9。请核对。"]
    with pytest.raises(ValidationError) as e:
        validate_mobile("1380013800")
    assert e.value.messages == ["手机号应为以1开头的11位数字。"]


def test_masks():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_mobile("13800138000") == "138****8000"


def test_normalize_text_collapses_whitespace_and_full_width():
    assert normalize_text("　张　三 ") == "张 三"
    assert normalize_text("ＡＢＣ１２３") == "ABC123"


# ---- fast paths give exactly what the general path gives ---------------------------------------


def test_normalize_text_keeps_chinese_punctuation():
    assert normalize_text("因个人原因，申请退会。") == "因个人原因，申请退会。"
    assert normalize_text("杭州某某（集团）有限公司") == "杭州某某（集团）有限公司"
    assert normalize_text("备注：２０２４年３月；是否？是！…") == "备注：2024年3月；是否？是！…"
    assert normalize_text("ＡＢ，ｃｄ") == "AB，cd"
    assert normalize_text("2024－03－01") == "2024-03-01"  # a full-width dash is not Chinese punctuation


def _normalize_text_reference(value):
    keep = {c: chr(0xE000 + i) for i, c in enumerate("，：；？！（）…")}  # private use: NFKC keeps them
    value = "".join(keep.get(c, c) for c in str(value))
    value = unicodedata.normalize("NFKC", value)
    for c, mark in keep.items():
        value = value.replace(mark, c)
    value = value.replace("\u3000", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", value).strip()


TEXTISH = st.text(
    alphabet=st.sampled_from(
        list("张三李 　\t\u200bＡａ1１-·.,x，（）…：")
        + ["\u00a0", "\u2003", "ｘ", "㈱", "\u4e00", "\u9fff", "\uff1f", "\u0301"]
    )
)


@given(TEXTISH)
def test_normalize_text_matches_the_general_path(value):
    assert normalize_text(value) == _normalize_text_reference(value)


@pytest.mark.parametrize(
    "value",
    ["张三", "张 三", "张  三", " 张三", "张三 ", "ABC-123", "ﾃｽﾄ", "a\u200bb", "杭州\u3000滨江", "１２"],
)
def test_normalize_text_plain_and_not_plain(value):
    assert normalize_text(value) == _normalize_text_reference(value)


def _id_outcome(value):
    try:
        return parse_id_number(value, today=TODAY)
    except ValidationError as e:
        return e.messages


@given(st.text(alphabet="0123456789Xx", min_size=17, max_size=19))
def test_plain_id_numbers_take_the_same_decisions(value):
    # A leading full-width space forces the general (normalizing) path.
    assert _id_outcome(value) == _id_outcome("\u3000" + value)


@pytest.mark.parametrize("body", ["11010519491231002", "44030419900101001", "51010419720517622"])
def test_plain_id_number_check_digits(body):
    good = body + id_check_char(body)
    assert parse_id_number(good, today=TODAY)[0] == good
    assert parse_id_number(good.lower(), today=TODAY)[0] == good
    for wrong in "0123456789X":
        if wrong != good[-1]:
            with pytest.raises(ValidationError, match="校验位"):
                parse_id_number(body + wrong, today=TODAY)


@pytest.mark.parametrize(
    "value", ["13800138000", "12800138000", "23800138000", "8613800138000", "1380013800"]
)
def test_plain_mobile_same_as_general_path(value):
    def outcome(v):
        try:
            return validate_mobile(v)
        except ValidationError as e:
            return e.messages

    assert outcome(value) == outcome(" " + value)
