"""A proposal goes from submission with two co-signers (each in their own browser) through review,
assignment, reply and follow-up to the proposer's satisfaction and the handling report."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from proposals.models import Proposal

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir())  # screenshots for people to look at


def test_proposal_from_submission_to_satisfaction(new_page, live_world, login):
    today = timezone.localdate()

    # The secretariat opens the collection window for the coming session.
    office = new_page()
    login(office, "secretariat_a")
    office.get_by_role("link", name="职工提案").click()
    office.get_by_role("button", name="发起提案征集").click()
    office.get_by_label("征集名称").fill("2026年职工提案征集")
    office.get_by_label("对应会议").fill("第三届职工代表大会第二次会议")
    office.get_by_label("征集开始").fill(today.isoformat())
    office.get_by_label("征集截止").fill((today + timedelta(days=20)).isoformat())
    office.get_by_role("button", name="开始征集").click()
    expect(office.get_by_text("已开始征集提案")).to_be_visible()

    # A member puts forward a proposal from her phone and names two co-signers.
    worker = new_page(phone=True)
    login(worker, "member_a")
    worker.goto("/proposals/")
    worker.get_by_role("link", name="提交提案").click()
    worker.get_by_label("案由").fill("在二号厂区增设夜班职工休息室")
    worker.get_by_label("理由与依据").fill("二号厂区夜班职工120人，现无休息场所，职工只能在车间角落休息。")
    worker.get_by_label("办理建议").fill("将二号楼一层闲置仓库改造为休息室，配备空调和饮水机。")
    worker.get_by_label("delegate_a").check()
    worker.get_by_label("甲主席").check()
    worker.get_by_role("button", name="提交提案").click()
    expect(worker.get_by_text("提案已提交，等待附议人在线确认。")).to_be_visible()
    expect(worker.locator(".page-head .badge").first).to_have_text("待附议")
    worker.screenshot(path=SHOTS / "proposals-submitted-phone.png", full_page=True)
    proposal = Proposal.objects.get()

    # Each co-signer confirms online, in their own browser.
    for username in ("delegate_a", "chair_a"):
        cosigner = new_page(phone=True)
        login(cosigner, username)
        cosigner.goto("/proposals/")
        cosigner.get_by_role("link", name="在二号厂区增设夜班职工休息室").first.click()
        expect(cosigner.get_by_text("请您附议这件提案")).to_be_visible()
        if username == "delegate_a":
            cosigner.screenshot(path=SHOTS / "proposals-cosign-phone.png", full_page=True)
        cosigner.get_by_role("button", name="确认附议").click()
        expect(cosigner.get_by_text("您已确认附议。")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == "pending_review"

    # The secretariat reviews, assigns, follows up and records the department's reply.
    office.goto(f"/proposals/{proposal.pk}/")
    expect(office.get_by_text("附议人（已确认 2 / 需 2）")).to_be_visible()
    office.get_by_label("立案").check()
    office.get_by_label("审查意见").fill("涉及职工切身利益，同意立案。")
    office.get_by_role("button", name="提交审查结论").click()
    expect(office.get_by_text("已立案。")).to_be_visible()
    office.get_by_label("承办部门").fill("行政部")
    office.get_by_label("答复期限").fill((today + timedelta(days=30)).isoformat())
    office.get_by_role("button", name="交办").click()
    expect(office.get_by_text("已交办承办部门。")).to_be_visible()
    office.get_by_text("记录督办情况").click()
    office.get_by_label("督办情况").fill("已与行政部确认改造方案，月底前完工。")
    office.get_by_role("button", name="记录督办").click()
    expect(office.get_by_text("已记录督办情况。")).to_be_visible()
    office.get_by_label("书面答复").fill(
        "二号楼一层休息室已改造完成，配备空调、饮水机和储物柜，12月1日起开放。"
    )
    office.get_by_role("button", name="登记答复").click()
    expect(office.get_by_text("已登记书面答复，等待提案人评价。")).to_be_visible()

    # The proposer rates the handling.
    worker.goto(f"/proposals/{proposal.pk}/")
    worker.get_by_label("满意", exact=True).check()
    worker.get_by_label("意见").fill("感谢工会和行政部。")
    worker.get_by_role("button", name="提交评价").click()
    expect(worker.get_by_text("感谢您的评价。")).to_be_visible()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.satisfaction) == ("evaluated", "satisfied")
    timeline = worker.locator("ol.timeline li")
    expect(timeline).to_have_count(9)
    worker.screenshot(path=SHOTS / "proposals-evaluated-phone.png", full_page=True)

    # The office archives it and prints the handling report for the next session.
    office.goto(f"/proposals/{proposal.pk}/")
    office.get_by_role("button", name="归档").click()
    expect(office.get_by_text("提案已归档。")).to_be_visible()
    office.screenshot(path=SHOTS / "proposals-detail.png", full_page=True)
    office.get_by_role("link", name="2026年职工提案征集").click()
    office.get_by_role("button", name="提案办理情况报告").click()
    expect(
        office.get_by_role("heading", name="关于第三届职工代表大会第二次会议职工提案办理情况的报告")
    ).to_be_visible()
    expect(office.get_by_text("共收到职工提案 1 件")).to_be_visible()
    office.screenshot(path=SHOTS / "proposals-report.png", full_page=True)
    office.emulate_media(media="print")
    expect(office.locator(".sidebar")).to_be_hidden()
    office.screenshot(path=SHOTS / "proposals-report-print.png", full_page=True)
