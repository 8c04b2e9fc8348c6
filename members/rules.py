"""Pure rules of the member registry: normalization of one record, pinyin, the lifecycle table,
age bands and spreadsheet-cell escaping. No database access here."""

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop, pgettext_lazy
from pypinyin import Style, lazy_pinyin

from core.validators import (
    CJK_PUNCTUATION,
    MOBILE_RE,
    PLAIN_TEXT,
    normalize_text,
    parse_id_number,
    validate_mobile,
)

from .models import CLOSED_STATUSES, Education, MemberStatus, PoliticalStatus

S = MemberStatus


def conf(key: str, default):
    """A setting of the registry (GONGHUI_MEMBERS in the settings; `default` where it is absent)."""
    return getattr(settings, "GONGHUI_MEMBERS", {}).get(key, default)


def stored_language():
    """The language of text the system writes into a record (a timeline reason, an audit label): the
    installation's, whoever's request wrote it. Pages show it in the reader's language
    (members_tags.event_reason)."""
    return translation.override(settings.LANGUAGE_CODE)


def stored_text(text) -> str:
    """`text` (a lazy translation) in the stored language."""
    with stored_language():
        return str(text)


# The usual reasons for retained membership (保留会籍: DOMAIN.md §2), offered on the member's page;
# a chosen one is stored like a system text and shown in the reader's language (event_reason).
RETAIN_REASONS = (
    gettext_noop("退休"),
    gettext_noop("失业"),
    gettext_noop("单位关闭、破产或撤销"),
    gettext_noop("下岗待岗"),
)


def retain_reason_choices() -> list[tuple[str, str]]:
    """(as stored, as the reader reads it) for each of RETAIN_REASONS."""
    with stored_language():
        stored = [_(r) for r in RETAIN_REASONS]
    return list(zip(stored, [_(r) for r in RETAIN_REASONS], strict=True))


# The membership state machine (DOMAIN.md §2): transition -> (allowed from, resulting status).
# A transfer keeps the status and changes the holding union.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "approve": (frozenset({S.APPLIED}), S.ACTIVE),
    "reject": (frozenset({S.APPLIED}), S.REJECTED),
    "transfer": (frozenset({S.ACTIVE, S.RETAINED}), None),
    "retain": (frozenset({S.ACTIVE}), S.RETAINED),
    "restore": (frozenset({S.RETAINED}), S.ACTIVE),
    "withdraw": (frozenset({S.ACTIVE, S.RETAINED}), S.WITHDRAWN),
    "lapse": (frozenset({S.ACTIVE}), S.LAPSED),
    "expel": (frozenset({S.ACTIVE, S.RETAINED}), S.EXPELLED),
    "reapply": (frozenset({S.WITHDRAWN, S.LAPSED, S.REJECTED}), S.APPLIED),
}

TRANSITION_LABELS = {  # what staff do (buttons, legends), not what a member's status is
    "approve": pgettext_lazy("transition", "批准入会"),
    "reject": pgettext_lazy("transition", "不予批准"),
    "transfer": pgettext_lazy("transition", "转会"),
    "retain": pgettext_lazy("transition", "保留会籍"),
    "restore": pgettext_lazy("transition", "恢复在籍"),
    "withdraw": pgettext_lazy("transition", "退会"),
    "lapse": pgettext_lazy("transition", "自动退会"),
    "expel": pgettext_lazy("transition", "开除会籍"),
    "reapply": pgettext_lazy("transition", "重新申请入会"),
}


def check_transition(transition: str, status: str) -> str | None:
    """Return the resulting status, or raise a Chinese ValidationError for an illegal transition."""
    allowed, result = TRANSITIONS[transition]
    if status not in allowed:
        raise ValidationError(
            _("会籍状态为“%(status)s”的会员不能办理“%(action)s”。")
            % {"status": MemberStatus(status).label, "action": TRANSITION_LABELS[transition]},
            code="illegal_transition",
        )
    return result if result is not None else status


def erasure_refusal(member) -> str | None:
    """Why this record's personal data cannot be deleted (services.member_erase), or None when it may:
    only a record whose membership or application has ended, and only once."""
    from django.utils import timezone

    if member.erased_at is not None:
        return _("该记录的个人信息已于%(d)s删除。") % {
            "d": timezone.localtime(member.erased_at).strftime("%Y-%m-%d")
        }
    if member.status == S.APPLIED:
        return _("入会申请尚未审批，请先决定是否批准；不予批准后才能删除申请人的个人信息。")
    if member.status not in CLOSED_STATUSES:
        return _(
            "只能删除已退会、自动退会、开除会籍或未获批准人员的个人信息；在籍和保留会籍的会员请先办理退会。"
        )
    return None


def allowed_transitions(status: str) -> list[str]:
    return [t for t, (allowed, _r) in TRANSITIONS.items() if status in allowed]


# ---- pinyin ---------------------------------------------------------------------------------------


@lru_cache(maxsize=20000)
def _char_pinyin(ch: str) -> str:
    return (
        lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")[0] if "\u4e00" <= ch <= "\u9fff" else ch.lower()
    )


# Common surnames whose reading differs from the character's most frequent reading.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "查": "zha",
    "朴": "piao",
    "区": "ou",
    "覃": "qin",
    "乐": "yue",
    "盖": "ge",
    "种": "chong",
    "尉": "yu",
}


@lru_cache(maxsize=200000)
def name_pinyin(name: str) -> tuple[str, str, str]:
    """(full pinyin, initials, sort key), lower case: 张三 -> ("zhangsan", "zs", "zhang san"). The
    first two are searched by prefix; the sort key keeps the syllables apart, so that names sort
    syllable by syllable as in a Chinese list (陈桂敏, chen gui min, before 程丽, cheng li; joined up,
    "chengui" would come after "chengli")."""
    parts: list[str] = []
    for i, ch in enumerate(name):
        if ch.isspace() or ch in "·•.":
            continue
        if i == 0 and ch in SURNAME_READINGS:
            parts.append(SURNAME_READINGS[ch])
        else:
            py = _char_pinyin(ch)
            if py:
                parts.append(py)
    full = "".join(parts)
    initials = "".join(p[0] for p in parts if p)
    return full[:120], initials[:20], " ".join(parts)[:160]


# ---- age bands ------------------------------------------------------------------------------------

AGE_BANDS = [("-25", 0, 25), ("25-34", 25, 35), ("35-44", 35, 45), ("45-54", 45, 55), ("55+", 55, 200)]
AGE_BAND_LABELS = {
    "-25": _l("25岁以下"),
    "25-34": _l("25-34岁"),
    "35-44": _l("35-44岁"),
    "45-54": _l("45-54岁"),
    "55+": _l("55岁及以上"),
}


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def birth_range_for_band(band: str, today: date) -> tuple[date | None, date | None]:
    """Birth dates (inclusive lower, exclusive upper) for members whose age lies in the band."""
    for key, lo, hi in AGE_BANDS:
        if key == band:
            # age >= lo  <=> birth <= today - lo years ; age < hi <=> birth > today - hi years
            latest = _years_before(today, lo)
            earliest = _years_before(today, hi)
            return earliest, latest
    return None, None


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


# ---- choices by label -----------------------------------------------------------------------------


def _choice_lookup(choices) -> dict[str, str]:
    """Each choice by its value and by its label in every language of the site, whichever language
    is active when the map is first built (it is cached): a sheet holds the template's Chinese
    labels, and English ones are read too."""
    from django.conf import settings
    from django.utils import translation

    out = {}
    for value, label in choices.choices:
        out[str(value)] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                out[str(label)] = value
    return out


EDUCATION_ALIASES = {
    "小学": "primary",
    "初中及以下": "junior",
    "高中": "senior",
    "中专": "senior",
    "技校": "senior",
    "职高": "senior",
    "大学专科": "college",
    "专科": "college",
    "大学本科": "bachelor",
    "研究生": "master",
    "硕士研究生": "master",
    "博士研究生": "doctor",
}
POLITICAL_ALIASES = {
    "党员": "cpc",
    "预备党员": "probationary",
    "团员": "cyl",
    "共青团员": "cyl",
    "民主党派成员": "democratic",
}
YES = {"是", "y", "yes", "1", "true", "√", "✓"}
NO = {"否", "n", "no", "0", "false", ""}
SEX_LABELS = {"M": _l("男"), "F": _l("女")}


@lru_cache(maxsize=1)
def _education_map() -> dict[str, str]:
    return {**_choice_lookup(Education), **EDUCATION_ALIASES}


@lru_cache(maxsize=1)
def _political_map() -> dict[str, str]:
    return {**_choice_lookup(PoliticalStatus), **POLITICAL_ALIASES}


# ---- one record -----------------------------------------------------------------------------------

TEXT_LIMITS = {
    "name": 50,
    "ethnicity": 20,
    "employer": 120,
    "department": 60,
    "post": 60,
    "household_registration": 120,
}


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class NoSuchDate(ValueError):
    """A date written the right way that does not exist (2024-02-30)."""


def _date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise NoSuchDate(f"{y:04d}-{m:02d}-{d:02d}") from None


def parse_date(value) -> date | None:
    """A date from a spreadsheet cell: a date, an ISO/Chinese text date, or None. Raises ValueError
    (NoSuchDate for a well-written date that does not exist)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()
    if type(value) is str and (m := _ISO_DATE.fullmatch(value)):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    text = normalize_text(str(value))
    if not text:
        return None
    for ch in "年月/.":
        text = text.replace(ch, "-")
    text = text.replace("日", "").strip("-")
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return _date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(text) == 8 and text.isdigit():
        return _date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise ValueError(text)


# Normalized text by raw text. Most columns of a member list repeat a few values (ethnicity,
# education, employer, department...), so remembering them saves normalizing each again. Bounded.
_NORM_CACHE: dict[str, str] = {}
_NORM_CACHE_MAX = 50_000


def norm(value) -> str:
    """core.validators.normalize_text, remembered for text seen before."""
    if type(value) is str:
        out = _NORM_CACHE.get(value)
        if out is None:
            out = normalize_text(value)
            if len(_NORM_CACHE) >= _NORM_CACHE_MAX:
                _NORM_CACHE.clear()
            _NORM_CACHE[value] = out
        return out
    return "" if value is None else normalize_text(value)


_TEXT_FIELDS = tuple((k, n) for k, n in TEXT_LIMITS.items() if k != "name")

# The 56 ethnic groups (GB/T 3304 order): the template's drop-down, and a name written without its
# 族 ("汉", "维吾尔") is registered with it. Other texts are kept as written (the list is a help, not
# a rule: 未识别民族 and foreign nationals are registered too).
# fmt: off
ETHNIC_GROUPS = (  # gettext_noop: stored in Chinese, shown in the reader's language
    gettext_noop("汉族"), gettext_noop("蒙古族"), gettext_noop("回族"), gettext_noop("藏族"),
    gettext_noop("维吾尔族"), gettext_noop("苗族"), gettext_noop("彝族"), gettext_noop("壮族"),
    gettext_noop("布依族"), gettext_noop("朝鲜族"), gettext_noop("满族"), gettext_noop("侗族"),
    gettext_noop("瑶族"), gettext_noop("白族"), gettext_noop("土家族"), gettext_noop("哈尼族"),
    gettext_noop("哈萨克族"), gettext_noop("傣族"), gettext_noop("黎族"), gettext_noop("傈僳族"),
    gettext_noop("佤族"), gettext_noop("畲族"), gettext_noop("高山族"), gettext_noop("拉祜族"),
    gettext_noop("水族"), gettext_noop("东乡族"), gettext_noop("纳西族"), gettext_noop("景颇族"),
    gettext_noop("柯尔克孜族"), gettext_noop("土族"), gettext_noop("达斡尔族"), gettext_noop("仫佬族"),
    gettext_noop("羌族"), gettext_noop("布朗族"), gettext_noop("撒拉族"), gettext_noop("毛南族"),
    gettext_noop("仡佬族"), gettext_noop("锡伯族"), gettext_noop("阿昌族"), gettext_noop("普米族"),
    gettext_noop("塔吉克族"), gettext_noop("怒族"), gettext_noop("乌孜别克族"), gettext_noop("俄罗斯族"),
    gettext_noop("鄂温克族"), gettext_noop("德昂族"), gettext_noop("保安族"), gettext_noop("裕固族"),
    gettext_noop("京族"), gettext_noop("塔塔尔族"), gettext_noop("独龙族"), gettext_noop("鄂伦春族"),
    gettext_noop("赫哲族"), gettext_noop("门巴族"), gettext_noop("珞巴族"), gettext_noop("基诺族"),
)
# fmt: on
ETHNIC_SHORT = {name[:-1]: name for name in ETHNIC_GROUPS}
_SEX_CODES = {"男": "M", "女": "F"}
# Digits and the symbols no name has (a name in Latin letters is fine, and so is the "·" of
# minority names such as 买买提·艾力).
BAD_NAME = re.compile(rf"[0-9<>&\"'=;:/\\@#$%^*_+|~`{{}}\[\]()!?{CJK_PUNCTUATION}]")


def _not_in_a_name(c: str) -> bool:
    """Symbols and emoji (S*), control and format characters, unassigned code points. Private use
    (Co) is allowed: rare characters of names (生僻字) are often kept there, by GB 18030 among others."""
    cat = unicodedata.category(c)
    return cat[0] == "S" or cat in ("Cc", "Cf", "Cn", "Cs")


def stored_name(value) -> str:
    """A name as the registry stores it: normalized, without spaces (张 三 is 张三)."""
    return norm(value).replace(" ", "")


def clean_member(raw: dict, *, today: date) -> tuple[dict, dict[str, str]]:
    """Normalize and validate one record given as text-ish values. Returns (cleaned, errors) where
    errors maps a field name to one Chinese message. `id_number` and `phone` stay plaintext here."""
    errors: dict[str, str] = {}
    out: dict = {}
    get = raw.get
    name = stored_name(get("name"))
    if not name:
        errors["name"] = _("姓名不能为空。")
    elif len(name) > TEXT_LIMITS["name"]:
        errors["name"] = _("姓名过长（最多%(n)d个字）。") % {"n": TEXT_LIMITS["name"]}
    elif BAD_NAME.search(name) or any(_not_in_a_name(c) for c in name):
        errors["name"] = _("姓名不能包含数字或符号（少数民族姓名中的“·”可以）。")
    out["name"] = name
    out["name_pinyin"], out["name_initials"], out["name_sort"] = name_pinyin(name) if name else ("", "", "")

    id_raw = get("id_number")
    if id_raw is None or norm(str(id_raw)) == "":
        errors["id_number"] = _("身份证号不能为空。")
    else:
        try:
            code, birth, sex = parse_id_number(str(id_raw), today=today)
        except ValidationError as e:
            errors["id_number"] = e.messages[0]
        else:
            out["id_number"], out["birth_date"], out["sex"] = code, birth, sex

    phone = get("phone")
    if phone is not None and norm(str(phone)) != "":
        try:
            out["phone"] = validate_mobile(str(phone))
        except ValidationError as e:
            errors["phone"] = e.messages[0]
    else:
        out["phone"] = ""

    for key, limit in _TEXT_FIELDS:
        if key not in raw:
            continue
        value = norm(raw[key])
        if len(value) > limit:
            errors[key] = _("内容过长（最多%(n)d个字）。") % {"n": limit}
        if key == "ethnicity":
            value = ETHNIC_SHORT.get(value, value)
        out[key] = value

    if "education" in raw:
        value = norm(raw["education"])
        choice = _education_map().get(value, "") if value else ""
        if value and not choice:
            errors["education"] = _("学历“%(v)s”无法识别。") % {"v": value}
        out["education"] = choice
    if "political_status" in raw:
        value = norm(raw["political_status"])
        choice = _political_map().get(value, "") if value else ""
        if value and not choice:
            errors["political_status"] = _("政治面貌“%(v)s”无法识别。") % {"v": value}
        out["political_status"] = choice
    if "is_migrant" in raw:
        value = raw["is_migrant"]
        if isinstance(value, bool):
            out["is_migrant"] = value
        else:
            text = norm("" if value is None else str(value)).lower()
            if text in YES:
                out["is_migrant"] = True
            elif text in NO:
                out["is_migrant"] = False
            else:
                errors["is_migrant"] = _("是否农民工请填写“是”或“否”。")
    if "joined_on" in raw:
        try:
            joined = parse_date(raw["joined_on"])
        except NoSuchDate as e:
            errors["joined_on"] = _("入会日期%(d)s不存在，请核对。") % {"d": str(e)}
        except (ValueError, TypeError):
            errors["joined_on"] = _("入会日期格式不正确，请写成 2024-03-01。")
        else:
            if joined and joined > today:
                errors["joined_on"] = _("入会日期不能晚于今天。")
            elif joined and "birth_date" in out and joined < out["birth_date"]:
                errors["joined_on"] = _("入会日期早于出生日期。")
            out["joined_on"] = joined
    if get("sex") and "sex" in out:
        given = _SEX_CODES.get(norm(str(raw["sex"])))
        if given is not None and given != out["sex"]:
            errors["sex"] = _("性别与身份证号不一致。")
    return out, errors


# A row whose cells, joined by tabs, match this is plain text throughout: each cell is empty or
# already normal (normalize_text returns it unchanged: core.validators.PLAIN_TEXT), and none holds a tab.
_PLAIN_CELL = PLAIN_TEXT.pattern
_PLAIN_ROW = re.compile(rf"(?:{_PLAIN_CELL})?(?:\t(?:{_PLAIN_CELL})?)*")


def plain_row_cleaner(columns: dict[str, int], *, today: date) -> Callable[[list], dict | None]:
    """A faster clean_member for the usual spreadsheet row, for bulk imports.

    `columns` maps clean_member's field names to cell positions. The returned function takes one
    sheet row (a list of cells) and returns exactly what clean_member would return as its cleaned
    record when that row is plain text throughout (see _PLAIN_ROW) and entirely valid. For any
    other row (a number or date cell, text to normalize, an ID number, phone, date or choice
    written another way, or any error) it returns None, and the caller uses clean_member, which
    alone words the errors. The same rules, skipping only the normalization a plain row does not
    need; members/tests/test_rules.py holds the two to the same results."""
    from operator import itemgetter

    keys = list(columns)  # name and ID number at least (required columns), so pick returns a tuple
    pick = itemgetter(*(columns[k] for k in keys))
    width = max(columns.values()) + 1
    at = {k: i for i, k in enumerate(keys)}
    i_name, i_id = at["name"], at["id_number"]
    i_phone, i_sex, i_joined = at.get("phone"), at.get("sex"), at.get("joined_on")
    texts = [(k, at[k], limit) for k, limit in _TEXT_FIELDS if k in at]
    choices = [
        (k, at[k], m)
        for k, m in (("education", _education_map()), ("political_status", _political_map()))
        if k in at
    ]
    i_migrant = at.get("is_migrant")
    i_ethnicity, short_ethnic = at.get("ethnicity"), ETHNIC_SHORT  # "汉" is registered as 汉族
    plain_row, iso_date, sex_codes = _PLAIN_ROW.fullmatch, _ISO_DATE.fullmatch, _SEX_CODES
    name_limit = TEXT_LIMITS["name"]
    bad_name = BAD_NAME.search
    cache = _NORM_CACHE

    def clean(row) -> dict | None:
        if len(row) < width:
            return None
        try:
            joined = "\t".join(row)
        except TypeError:
            return None  # a cell that is not text
        if joined.count("\t") != len(row) - 1 or plain_row(joined) is None:
            return None
        cells = pick(row)
        name = cells[i_name].replace(" ", "")
        if not name or len(name) > name_limit or bad_name(name):
            return None
        try:
            code, birth, sex = parse_id_number(cells[i_id], today=today)
        except ValidationError:
            return None
        pinyin, initials, sort_key = name_pinyin(name)
        out = {
            "name": name,
            "name_pinyin": pinyin,
            "name_initials": initials,
            "name_sort": sort_key,
            "id_number": code,
            "birth_date": birth,
            "sex": sex,
            "phone": "",
        }
        if i_phone is not None and (phone := cells[i_phone]):
            if MOBILE_RE.match(phone) is None:
                return None
            out["phone"] = phone
        for key, i, limit in texts:
            value = cells[i]
            if len(value) > limit:
                return None
            if i == i_ethnicity:
                value = short_ethnic.get(value, value)
            # One object per distinct text, from norm's own cache (a plain text is its own normal
            # form): the chunks sent between the import's processes then carry it once.
            out[key] = cache.setdefault(value, value)
        if len(cache) >= _NORM_CACHE_MAX:
            cache.clear()
        for key, i, mapping in choices:
            value = cells[i]
            choice = mapping.get(value, "") if value else ""
            if value and not choice:
                return None
            out[key] = choice
        if i_migrant is not None:
            text = cells[i_migrant].lower()
            if text in YES:
                out["is_migrant"] = True
            elif text in NO:
                out["is_migrant"] = False
            else:
                return None
        if i_joined is not None:
            joined_on = None
            if text := cells[i_joined]:
                if (m := iso_date(text)) is None:
                    return None
                try:
                    joined_on = date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    return None
                if joined_on > today or joined_on < birth:
                    return None
            out["joined_on"] = joined_on
        if i_sex is not None and (given := sex_codes.get(cells[i_sex])) is not None and given != sex:
            return None
        return out

    return clean


# ---- spreadsheet safety ---------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    """A text a spreadsheet program could take for a formula (OWASP CSV injection)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def escape_cell(value):
    """Neutralize formula injection in an exported CSV cell: a leading apostrophe. (An xlsx cell is
    written as text with Excel's own quote prefix instead, which Excel does not show: XLSX_TEXT.)"""
    if formula_like(value):
        return "'" + value
    return value


# xlsxwriter workbook options for exports: a text is never turned into a formula, number or link.
XLSX_TEXT = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
# The cell format of a formula-like text in an xlsx export: Excel's quote prefix (the hidden "'"
# typed before a text), so the cell stays text even when someone edits it and presses Enter.
QUOTED = {"quote_prefix": True}


def write_text(ws, row: int, col: int, text: str, quoted, fmt=None) -> None:
    """Write a text cell into an xlsx export (xlsxwriter): with the workbook's QUOTED format when the
    text looks like a formula, else with `fmt`."""
    ws.write_string(row, col, text, quoted if formula_like(text) else fmt)
