"""A talent sees only their own person, certificates, corrections, attachments and share links: every URL a
talent can reach, given another talent's ids, answers 404 (and their own ids work)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.accounts.choices import Role
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.portal.services import CorrectionData, correction_submit, correction_take, share_link_create
from gongjiang.workflow.models import Attachment, Notification

pytestmark = pytest.mark.django_db


def _benefits(person, user, policy, version) -> dict:
    """An offer and an application of ``person`` (the applicant being ``user``)."""
    from django.utils import timezone

    from gongjiang.benefits.models import BenefitApplication, Entitlement

    offer = Entitlement.objects.create(
        policy=policy,
        version=version,
        person=person,
        level_id="GRADE3",
        amount=1000,
        instalments=1,
        granted_on=datetime.date(2026, 6, 1),
    )
    application = BenefitApplication.objects.create(
        policy=policy,
        version=version,
        person=person,
        level_id="GRADE3",
        amount=1000,
        status="county_review",
        bank_name="中国银行",
        account_cipher="",
        account_digest="",
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    return {"entitlement": offer.pk, "application": application.pk}


def _world(personas):
    """Each talent with a correction returned for 补正 and a file handed in with it (which left a
    message in their inbox), an offer and an application."""
    from gongjiang.benefits.models import BenefitPolicy, PolicyVersion

    other_user = UserFactory(username="talent2", role=Role.TALENT)
    personas.person_ganyu.user = other_user
    personas.person_ganyu.save(update_fields=["user"])
    policy = BenefitPolicy.objects.create(code="SCOPE", name="范围测试", mode="automatic")
    version = PolicyVersion.objects.create(
        policy=policy,
        number=1,
        rules={
            "code": "SCOPE",
            "name": "范围测试",
            "mode": "automatic",
            "effective": ["2020-01-01", None],
            "levels": {"GRADE3": 1000},
            "certificate_types": ["skill_level"],
        },
        effective_from=datetime.date(2020, 1, 1),
    )
    ids = {}
    for who, user, county in (
        ("mine", personas.talent, personas.haizhou),
        ("other", other_user, personas.ganyu),
    ):
        correction = correction_submit(
            actor=user,
            data=CorrectionData(kind="person", field="name", proposed_value="新名字"),
            files=[SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
        )
        correction_take(actor=county, correction=correction, action="return", note="请补充材料")
        person = user.person
        link, _token = share_link_create(actor=user, days=7)
        ids[who] = {
            "share": link.pk,
            "person": person.pk,
            "certificate": person.certificates.get().pk,
            "correction": correction.pk,
            "attachment": Attachment.objects.get(object_id=correction.pk).pk,
            "notification": Notification.objects.get(user=user).pk,
            **_benefits(person, user, policy, version),
        }
    return ids


# Every URL with an id that a talent can reach (method, template, what a talent gets for their own).
TALENT_URLS = [
    ("get", "/talents/persons/{person}/", 200),
    ("get", "/corrections/{correction}/", 200),
    ("post", "/corrections/{correction}/resubmit/", 302),
    ("get", "/todo/files/{attachment}/", 200),
    ("get", "/corrections/new/?kind=certificate&certificate={certificate}", 200),
    ("post", "/me/share/{share}/revoke/", 302),
    ("get", "/todo/notifications/{notification}/", 302),
    ("get", "/benefits/persons/{person}/eligibility/", 200),
    ("get", "/benefits/entitlements/{entitlement}/", 200),
    ("get", "/benefits/applications/{application}/", 200),
]


@pytest.mark.parametrize("method,template,own_status", TALENT_URLS)
def test_talent_gets_404_for_another_talents_ids_and_their_own_works(
    client, personas, method, template, own_status
):
    ids = _world(personas)
    client.force_login(personas.talent)
    other = getattr(client, method)(template.format(**ids["other"]))
    if "certificate=" in template:
        # The form offers only the talent's own certificates; another's id is not preselected.
        assert other.status_code == 200
        assert 'value="%d" selected' % ids["other"]["certificate"] not in other.content.decode()
        assert (
            'value="%d" selected' % ids["mine"]["certificate"]
            in client.get(template.format(**ids["mine"])).content.decode()
        )
        return
    assert other.status_code == 404, template
    assert getattr(client, method)(template.format(**ids["mine"])).status_code == own_status


def test_talent_lists_and_home_show_only_their_own(client, personas):
    ids = _world(personas)
    other_number = personas.person_ganyu.certificates.get().number
    client.force_login(personas.talent)
    home = client.get("/me/").content.decode()
    assert personas.person_haizhou.certificates.get().number in home
    assert other_number not in home and "赣榆人员" not in home
    listing = client.get("/corrections/").content.decode()
    assert listing.count('data-testid="correction-row"') == 1
    assert "/corrections/%d/" % ids["mine"]["correction"] in listing
    assert "/corrections/%d/" % ids["other"]["correction"] not in listing
    todo = client.get("/todo/").content.decode()
    assert "/corrections/%d/" % ids["mine"]["correction"] in todo
    assert "/corrections/%d/" % ids["other"]["correction"] not in todo
