"""The session day as people live it: the secretariat on a PC, delegates on phones, the hall's
projector in its own browser context."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.testing.qr import read_qr

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir())  # screenshots for people to look at
CANDIDATES = ["欧阳春晓", "司马秋实", "诸葛夏至"]


def _lab(text: str) -> re.Pattern:
    """A form label by its leading words (labels of required fields end with " *")."""
    return re.compile(rf"^{text}(\s|\*|$)")


def _secretariat_sets_up_term(page):
    page.goto("/congress/")
    page.get_by_role("button", name="建立届次").click()
    page.get_by_label(_lab("工会")).select_option(label="甲公司工会")
    page.get_by_label("任期开始").fill("2025-01-01")
    page.get_by_label("任期届满").fill("2028-01-01")
    page.get_by_label(_lab("职工人数")).fill("600")
    page.get_by_label("其中女职工").fill("240")
    page.get_by_label("会员人数").fill("560")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已建立第 1 届，代表名额 30 名。")).to_be_visible()
    expect(page.locator("#seats-total")).to_have_text("30")
    for name in ("一车间", "二车间", "机关后勤"):
        page.get_by_label("选区名称").fill(name)
        page.get_by_label("选区职工人数").fill("200")
        page.get_by_role("button", name="增设选区").click()
        expect(page.get_by_text(f"已增设选区“{name}”。")).to_be_visible()
    expect(page.get_by_role("cell", name="10", exact=True)).to_have_count(3)


def _register_delegates(page, term):
    """Three delegates through the form as a clerk would, the other 27 through the same service."""
    from congress import services
    from congress.models import Category, Constituency

    page.get_by_label(_lab("选区")).select_option(label="一车间")
    page.get_by_label("代表姓名").fill("王秀英")
    page.get_by_label(_lab("性别")).select_option(label="女")
    page.get_by_label("主席团成员").check()
    page.get_by_role("button", name="登记代表").click()
    expect(page.get_by_text("已登记代表 王秀英（代表证号 1）。")).to_be_visible()
    page.get_by_label(_lab("选区")).select_option(label="二车间")
    page.get_by_label("代表姓名").fill("李建国")
    page.get_by_label(_lab("性别")).select_option(label="男")
    page.get_by_label("身份").select_option(label="中层以上管理人员")
    page.get_by_role("button", name="登记代表").click()
    expect(page.get_by_text("已登记代表 李建国（代表证号 2）。")).to_be_visible()
    cons = list(Constituency.objects.filter(term=term).order_by("id"))
    staff = term.org.roles.get(role="secretariat").user
    slots = [c for c in cons for _ in range(c.seats - c.delegates.count())]
    for i, c in enumerate(slots):
        services.delegate_add(
            actor=staff,
            term=term,
            constituency=c,
            name=f"代表{i + 3:02d}",
            sex="f" if i % 5 < 2 else "m",
            category=Category.MANAGER if i % 9 == 0 else Category.FRONT_LINE,
            is_presidium=i < 5,
        )


def test_session_day_with_phones_projector_secret_election_and_motion(live_world, new_page, login):
    from congress import services
    from congress.models import Delegate, Term

    sec = new_page()
    login(sec, "secretariat_a")
    _secretariat_sets_up_term(sec)
    term = Term.objects.get(org=live_world.union_a)
    _register_delegates(sec, term)
    sec.reload()
    expect(sec.locator("#composition .check-pass")).to_have_count(4)
    expect(sec.get_by_text("在任代表 30 名，应选名额 30 名")).to_be_visible()
    sec.screenshot(path=SHOTS / "congress-term.png", full_page=True)

    sec.get_by_label("会议名称").fill("一届一次职工代表大会")
    sec.get_by_label("会议日期").fill("2026-11-25")
    sec.get_by_label("地点").fill("公司大礼堂")
    sec.get_by_role("button", name="筹备新会议").click()
    expect(sec.get_by_role("heading", name="一届一次职工代表大会")).to_be_visible()
    session_url = sec.url
    sec.get_by_role("button", name="宣布开会").click()
    expect(sec.locator(".page-head .badge")).to_have_text("会议进行中")

    with sec.expect_popup() as popup:
        sec.get_by_role("button", name="印制代表证").click()
    cards = popup.value
    expect(cards.get_by_text("共 30 张")).to_be_visible()
    urls = cards.locator(".card a").all_inner_texts()
    assert len(urls) == 30
    assert read_qr(cards.locator(".card .qr").first.screenshot()) == [urls[0]]  # a card's code, scanned
    cards.screenshot(path=SHOTS / "congress-cards.png", full_page=True)

    projector = new_page()
    login(projector, "staff_a")
    projector.goto(session_url + "projector/")
    expect(projector.locator("#quorum")).to_contain_text("未达到法定人数 20 名")

    # three delegates scan their cards with their phones
    phones = []
    for url in urls[:3]:
        phone = new_page(phone=True)
        phone.goto(url)
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.get_by_text("签到成功")).to_be_visible()
        phones.append(phone)
    # seventeen more scan in the hall (same one-time tokens, without a browser each)
    for url in urls[3:20]:
        services.checkin_by_token(token=url.rstrip("/").rsplit("/", 1)[1])
    expect(projector.locator("#present")).to_have_text("20", timeout=8000)
    expect(projector.locator("#quorum")).to_contain_text(
        "到会代表 20 名，超过全体代表 30 名的三分之二，会议有效。"
    )
    projector.screenshot(path=SHOTS / "congress-projector-quorum.png", full_page=True)

    # a secret election: 2 of 3 candidates
    sec.goto(session_url)
    sec.get_by_text("新建表决或选举事项").click()
    sec.get_by_label("类型").select_option(label="选举")
    sec.get_by_label(_lab("事项")).fill("增补工会委员")
    sec.get_by_label("应选人数（选举）").fill("2")
    sec.get_by_label("候选人（选举，每行一名）").fill("\n".join(CANDIDATES))
    sec.get_by_role("button", name="建立事项").click()
    expect(sec.get_by_role("heading", name="增补工会委员")).to_be_visible()
    sec.get_by_role("button", name="开始投票").click()
    expect(sec.locator("#poll-status")).to_have_text("投票中")

    for phone in phones:
        expect(phone.get_by_role("heading", name="增补工会委员")).to_be_visible(timeout=8000)
        phone.get_by_label(CANDIDATES[0]).check()
        phone.get_by_label(CANDIDATES[1]).check()
        phone.get_by_role("button", name="提交选票").click()
        expect(phone.get_by_text("投票成功，您的选票已计入。")).to_be_visible()
    phones[0].screenshot(path=SHOTS / "congress-phone-voted.png", full_page=True)
    from congress.models import Poll

    election = Poll.objects.get(title="增补工会委员")
    present = Delegate.objects.filter(term=term, attendance__checked_in_at__isnull=False).order_by("number")
    for i, d in enumerate(present[3:]):
        services.ballot_cast(
            actor=d.user, poll=election, delegate=d, choices=["c1", "c2"] if i < 14 else ["c3"]
        )
    expect(projector.get_by_text("已投 20 票")).to_be_visible(timeout=8000)
    sec.get_by_role("button", name="截止投票").click()
    sec.get_by_role("button", name="公布结果").click()
    expect(sec.locator("#poll-status")).to_have_text("已公布")
    expect(sec.get_by_text("通过规则：赞成票超过全体代表（30 名）的半数，即至少 16 票。")).to_be_visible()
    expect(projector.locator("#live")).to_contain_text("选举结果：应选名额已选满。", timeout=8000)
    projector.screenshot(path=SHOTS / "congress-projector-result.png", full_page=True)

    # a motion, voted from the phones
    sec.goto(session_url)
    sec.get_by_text("新建表决或选举事项").click()
    sec.get_by_label("类型").select_option(label="表决")
    sec.get_by_label(_lab("事项")).fill("2027年度福利费使用方案")
    sec.get_by_label("决议内容（表决）").fill("同意按方案执行。")
    sec.get_by_role("button", name="建立事项").click()
    sec.get_by_role("button", name="开始投票").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name="2027年度福利费使用方案")).to_be_visible(timeout=8000)
        phone.get_by_label("赞成").check()
        phone.get_by_role("button", name="提交选票").click()
        expect(phone.get_by_text("投票成功，您的选票已计入。")).to_be_visible()
    # a repeated submission from a second tab of the same phone is answered, not counted
    again = phones[0].context.new_page()
    again.goto(phones[0].url)
    expect(again.get_by_text("您已投票，谢谢。")).to_be_visible()
    motion = Poll.objects.get(title="2027年度福利费使用方案")
    for i, d in enumerate(present[3:19]):
        services.ballot_cast(actor=d.user, poll=motion, delegate=d, choices=["yes"] if i < 12 else ["no"])
    # the last present delegate votes on paper: a teller hands out the ballot, then enters it
    paper_voter = present[19]
    sec.reload()
    sec.get_by_role("row").filter(has_text=paper_voter.name).get_by_role("button", name="发纸质票").click()
    expect(sec.get_by_text(f"已向 {paper_voter.name} 发放纸质选票。")).to_be_visible()
    sec.get_by_role("button", name="截止投票").click()
    sec.get_by_role("button", name="公布结果").click()
    expect(sec.get_by_text("已发出纸质选票 1 张，只录入了 0 张")).to_be_visible()
    sec.get_by_label("赞成").check()
    sec.get_by_role("button", name="录入这张纸质选票").click()
    expect(sec.get_by_text("已录入一张纸质选票。")).to_be_visible()
    sec.get_by_role("button", name="公布结果").click()
    expect(sec.locator("#poll-status")).to_have_text("已公布")
    sec.screenshot(path=SHOTS / "congress-poll.png", full_page=True)
    sec.get_by_role("button", name="打印结果").click()
    expect(sec.get_by_role("heading", name=re.compile("2027年度福利费使用方案表决结果"))).to_be_visible()
    expect(sec.get_by_text("通过规则：赞成票超过全体代表（30 名）的半数，即至少 16 票。")).to_be_visible()
    # 3 phones + 12 electronic + 1 paper = 16 yes of 30 delegates: more than half of ALL delegates
    expect(sec.get_by_text("表决结果：通过。")).to_be_visible()
    expect(sec.get_by_text("收回选票 20 张（电子 19 张，纸质 1 张）")).to_be_visible()
    sec.emulate_media(media="print")
    sec.screenshot(path=SHOTS / "congress-result-print.png", full_page=True)
    sec.emulate_media(media="screen")
    sec.goto(session_url + "minutes/")
    expect(sec.get_by_text("应到代表 30 名，实到 20 名（法定人数 20 名）。")).to_be_visible()
    sec.goto(session_url + "resolutions/")
    expect(sec.get_by_text("本决议获得通过。")).to_be_visible()
    sec.goto(session_url)
    sec.screenshot(path=SHOTS / "congress-session.png", full_page=True)


def test_secretariat_moves_a_meeting_held_earlier_to_its_day_and_opens_it(live_world, page, login):
    """The meeting is held before its planned date: opening is refused and points to 编辑; the
    secretariat changes the date to today, sees it on the meeting page and opens the meeting."""
    import datetime as dt
    from datetime import date

    from django.utils import timezone

    from congress import services
    from congress.models import Session

    w = live_world
    today = timezone.localdate()
    planned = today + dt.timedelta(days=10)
    term = services.term_create(
        actor=w.secretariat_a,
        org=w.union_a,
        number=1,
        starts_on=date(2025, 1, 1),
        ends_on=max(date(2028, 1, 1), planned + dt.timedelta(days=30)),
        employees=150,
    )
    s = services.session_create(
        actor=w.secretariat_a, term=term, title="一届二次职工代表大会", held_on=planned, venue="公司大礼堂"
    )
    login(page, "secretariat_a")
    page.goto(f"/congress/sessions/{s.pk}/")
    expect(page.locator("dl.facts")).to_contain_text(planned.isoformat())
    page.get_by_role("button", name="宣布开会").click()
    expect(
        page.get_by_text(
            f"会议定于{planned.isoformat()}召开，还不能宣布开会。会议提前召开的，请先点“编辑”把会议日期改为实际日期。"
        )
    ).to_be_visible()

    page.get_by_role("button", name="编辑", exact=True).click()
    expect(page.get_by_role("heading", name="编辑会议信息")).to_be_visible()
    expect(page.get_by_label(_lab("会议名称"))).to_have_value("一届二次职工代表大会")
    expect(page.get_by_label(_lab("会议日期"))).to_have_value(planned.isoformat())
    page.screenshot(path=SHOTS / "congress-session-edit.png", full_page=True)
    # a date after the term is refused beside the field, and nothing is saved
    page.get_by_label(_lab("会议日期")).fill((term.ends_on + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errorlist")).to_have_text("会议日期不在本届任期内。")
    page.screenshot(path=SHOTS / "congress-session-edit-error.png", full_page=True)
    page.get_by_label(_lab("会议日期")).fill(today.isoformat())
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已保存会议信息。")).to_be_visible()
    expect(page.get_by_role("heading", name="一届二次职工代表大会")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(today.isoformat())
    page.get_by_role("button", name="宣布开会").click()
    expect(page.locator(".page-head .badge")).to_have_text("会议进行中")
    expect(page.get_by_role("button", name="编辑", exact=True)).to_have_count(0)
    s.refresh_from_db()
    assert (s.held_on, s.status) == (today, "in_progress")
    assert Session.objects.count() == 1
