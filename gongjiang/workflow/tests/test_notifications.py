"""Messages: every step taken on something an account submitted or answers for, and every new
offer, reaches that account's inbox (not the one who took the step); each account reads only its
own, opening one marks it read, and the talent's home shows the latest."""

import datetime
import json

import pytest

from gongjiang.benefits.services import entitlements_grant, policies_load
from gongjiang.portal.services import CorrectionData, correction_submit, correction_take
from gongjiang.talents.tests.factories import CertificateFactory
from gongjiang.workflow.models import Notification
from gongjiang.workflow.services import notify

pytestmark = pytest.mark.django_db

POLICY = {
    "code": "HZ-NOTE",
    "name": "海州区通知测试津贴",
    "mode": "automatic",
    "effective": ["2024-05-01", None],
    "regions": ["320706"],
    "levels": {"GRADE3": 5000, "GRADE2": 8000},
    "certificate_types": ["skill_level"],
}


def inbox(user):
    return list(Notification.objects.filter(user=user).values_list("text", "url"))


def test_a_new_offer_reaches_the_talent_once(personas):
    CertificateFactory(
        person=personas.person_haizhou, level_id="GRADE2", issue_date=datetime.date(2025, 4, 1)
    )
    policies_load(actor=None, text=json.dumps([POLICY], ensure_ascii=False))
    entitlements_grant(on=datetime.date.today())
    offer = personas.person_haizhou.entitlements.get()
    assert inbox(personas.talent) == [
        (
            "您符合“海州区通知测试津贴”，待遇待您确认（请核对并填写收款账户）",
            "/benefits/entitlements/%d/" % offer.pk,
        )
    ]
    entitlements_grant(on=datetime.date.today())  # nothing new: no second message
    assert len(inbox(personas.talent)) == 1
    assert Notification.objects.exclude(user=personas.talent).count() == 0


def test_a_step_reaches_the_submitter_with_the_reason_but_not_the_one_who_took_it(personas):
    correction = correction_submit(
        actor=personas.talent, data=CorrectionData(kind="person", field="name", proposed_value="海州人员乙")
    )
    assert inbox(personas.talent) == []  # the talent took that step
    correction_take(actor=personas.haizhou, correction=correction, action="return", note="请上传户口簿")
    [(text, url)] = inbox(personas.talent)
    assert "退回补正" in text and "请上传户口簿" in text and url == "/corrections/%d/" % correction.pk
    assert inbox(personas.haizhou) == []
    correction_take(actor=personas.talent, correction=correction, action="resubmit")
    assert len(inbox(personas.talent)) == 1 and inbox(personas.haizhou) == []
    correction_take(actor=personas.haizhou, correction=correction, action="accept")
    texts = [t for t, _ in inbox(personas.talent)]
    assert len(texts) == 2 and "当前状态“已更正”" in texts[0]


def test_inactive_accounts_get_nothing_and_nobody_twice(personas):
    personas.talent.is_active = False
    personas.talent.save()
    assert notify(users=[personas.talent, personas.haizhou, personas.haizhou.pk], text="x") == 1
    assert inbox(personas.haizhou) == [("x", "")] and inbox(personas.talent) == []


def test_each_account_reads_and_opens_only_its_own(personas, client):
    notify(users=[personas.talent], text="给人才的消息", url="/me/")
    notify(users=[personas.haizhou], text="给县区的消息", url="https://evil.example/")
    mine = Notification.objects.get(user=personas.talent)
    theirs = Notification.objects.get(user=personas.haizhou)
    client.force_login(personas.talent)
    badge = client.get("/todo/notifications/badge/").content.decode()
    assert 'title="1 条未读消息">1</span>' in badge
    page = client.get("/todo/notifications/").content.decode()
    assert "给人才的消息" in page and "给县区的消息" not in page and "1 条未读" in page
    home = client.get("/me/").content.decode()
    assert "给人才的消息" in home and "1 条未读" in home
    assert client.get("/todo/notifications/%d/" % theirs.pk).status_code == 404
    response = client.get("/todo/notifications/%d/" % mine.pk)
    assert response.status_code == 302 and response["Location"] == "/me/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert "全部已读" in client.get("/todo/notifications/").content.decode()
    # a link that leaves the site is never followed
    client.force_login(personas.haizhou)
    assert client.get("/todo/notifications/%d/" % theirs.pk)["Location"] == "/todo/notifications/"
    notify(users=[personas.haizhou], text="再一条")
    client.post("/todo/notifications/read/")
    assert not Notification.objects.filter(user=personas.haizhou, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=personas.talent, read_at__isnull=True).count() == 0
