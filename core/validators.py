"""Validators for Chinese identifiers. Each returns the normalized value or raises ValidationError
with a message in the user's language."""

import re
import unicodedata
from datetime import date
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015 unified social credit code (统一社会信用代码)
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# GB 11643-1999 citizen identity number (公民身份号码)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

# Already-normal text: printable ASCII and CJK unified ideographs (which NFKC leaves as they are),
# single inner spaces, nothing to strip. normalize_text returns such text unchanged, without work.
PLAIN_TEXT = re.compile(r"[!-~\u4e00-\u9fff]+(?: [!-~\u4e00-\u9fff]+)*")
_SPACES = re.compile(r"\s+")
_CODE_JUNK = re.compile(r"[\s\-]")
# An ID number as it usually arrives: 18 ASCII characters, nothing to normalize.
_PLAIN_ID = re.compile(r"[0-9]{17}[0-9Xx]")
_ID_DIGIT_OFFSET = ord("0") * sum(ID_WEIGHTS)


# Chinese punctuation written with full-width forms, which NFKC would turn into ASCII: kept, because
# Chinese text is written with them ("因个人原因，申请退会", "某某（集团）有限公司" as registered).
CJK_PUNCTUATION = "，：；？！（）…"
_CJK_PUNCTUATION = re.compile(f"([{CJK_PUNCTUATION}])")


def normalize_text(value: str | None) -> str:
    """Full-width letters, digits and symbols to half-width (NFKC), except the Chinese punctuation
    of CJK_PUNCTUATION; strip, collapse inner whitespace runs to one space."""
    if value is None:
        return ""
    if type(value) is str and PLAIN_TEXT.fullmatch(value):
        return value
    value = str(value)
    if _CJK_PUNCTUATION.search(value):
        parts = _CJK_PUNCTUATION.split(value)  # text, punctuation, text, ...
        value = "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))
    else:
        value = unicodedata.normalize("NFKC", value)
    value = value.replace("\u3000", " ").replace("\u200b", "")
    return _SPACES.sub(" ", value).strip()


def fold_key(value: str | None) -> str:
    """For comparing texts, not for storing them: full-width forms folded (NFKC), Chinese punctuation
    included, spaces collapsed. Texts stored before normalize_text kept Chinese punctuation hold it
    folded: "某某(集团)" and "某某（集团）" are the same name."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value or "").replace("\u3000", " ")).strip()


def normalize_code(value: str | None) -> str:
    """Identifiers: NFKC, upper case, no whitespace or dashes at all."""
    return _CODE_JUNK.sub("", normalize_text(value)).upper()


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    code = normalize_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)}, code="uscc_length"
        )
    if not USCC_RE.match(code):
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）。"), code="uscc_chars"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对。"), code="uscc_check")
    return code


# The first two digits: a province-level code of GB/T 2260 (and 81, 82, 83 of the residence permits
# of Hong Kong, Macao and Taiwan residents, which follow GB 11643). Only the province is checked:
# county codes change over the years and old numbers keep theirs.
ID_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def parse_id_number(value: str, *, today: date | None = None, min_age: int = 16, max_age: int = 100):
    """Validate an 18-digit resident ID number; return (normalized, birth_date, sex) with sex 'M'/'F'."""
    if type(value) is str and _PLAIN_ID.fullmatch(value):
        # Already normal (the usual case): the same checks without normalizing first.
        code = value if value[17] != "x" else value.upper()
        check = ID_CHECK[(sum(map(mul, code.encode()[:17], ID_WEIGHTS)) - _ID_DIGIT_OFFSET) % 11]
    else:
        code = normalize_code(value)
        if len(code) != 18:
            raise ValidationError(_("身份证号应为18位，当前为%(n)d位。") % {"n": len(code)}, code="id_length")
        if not ID_RE.match(code):
            raise ValidationError(_("身份证号前17位应为数字，最后一位为数字或X。"), code="id_chars")
        check = id_check_char(code[:17])
    if check != code[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="id_check")
    if code[:2] not in ID_PROVINCES:
        raise ValidationError(
            _("身份证号前两位“%(p)s”不是有效的省级行政区划代码，请核对。") % {"p": code[:2]}, code="id_region"
        )
    try:
        birth = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期不存在。"), code="id_birth") from None
    today = today or date.today()  # noqa: DTZ011 - a calendar date, the caller passes the local one
    if birth > today:
        raise ValidationError(_("身份证号中的出生日期晚于今天，请核对。"), code="id_birth")
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age < min_age or age > max_age:
        raise ValidationError(
            _("身份证号对应年龄为%(age)d岁，不在%(min)d至%(max)d岁之间。")
            % {"age": age, "min": min_age, "max": max_age},
            code="id_age",
        )
    sex = "M" if int(code[16]) % 2 == 1 else "F"
    return code, birth, sex


def validate_mobile(value: str) -> str:
    if type(value) is str and len(value) == 11 and value.isascii() and value.isdigit():
        code = value  # already normal
    else:
        code = normalize_code(value)
    if code.startswith("+86"):
        code = code[3:]
    elif code.startswith("86") and len(code) == 13:
        code = code[2:]
    if not MOBILE_RE.match(code):
        if code.startswith("0") and 10 <= len(code) <= 12 and code.isdigit():
            # 0571-88886666: a landline, often in a column headed 联系电话
            raise ValidationError(
                _("“%(v)s”像是固定电话。这里只登记手机号（以1开头的11位数字），没有手机号可留空。")
                % {"v": normalize_text(value)},
                code="mobile",
            )
        if len(code) == 11 and code.isdigit() and code.startswith("1"):
            # 11 digits from 1, but no mobile number starts 10, 11 or 12
            # masked: the message is stored with an import's errors, and a typo is near the real number
            raise ValidationError(
                _("“%(v)s”不是有效的手机号：第二位应为3至9。请核对。") % {"v": mask_mobile(code)},
                code="mobile",
            )
        raise ValidationError(_("手机号应为以1开头的11位数字。"), code="mobile")
    return code


def mask_id_number(code: str) -> str:
    return f"{code[:6]}{'*' * 8}{code[-4:]}" if len(code) == 18 else "*" * len(code)


def mask_mobile(code: str) -> str:
    return f"{code[:3]}****{code[-4:]}" if len(code) == 11 else "*" * len(code)


def mask_text(value: str, keep_start: int = 1, keep_end: int = 0) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return (
        value[:keep_start]
        + "*" * (len(value) - keep_start - keep_end)
        + (value[-keep_end:] if keep_end else "")
    )


def too_long(model, field: str, value: str | None) -> str | None:
    """The message for a text longer than the model's column holds (PostgreSQL would refuse it with
    an error, SQLite keep it whole), or None. For services whose callers (the API) have no form."""
    limit = model._meta.get_field(field).max_length
    if value and limit and len(value) > limit:
        return _("最多%(n)d个字符，现有%(k)d个。") % {"n": limit, "k": len(value)}
    return None
