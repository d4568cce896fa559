"""Training pages from inside and outside their scope, the claim form, and enterprise records with
chain training."""

import datetime

import pytest

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory
from gongjiang.training.models import ChainTraining, EnterpriseTraining, SubsidyClaim
from gongjiang.training.services import claim_submit

from .factories import ProviderFactory, ScheduleFactory
from .test_claims import as_trainee

pytestmark = pytest.mark.django_db


def _ganyu_claim(personas):
    operator = UserFactory(username="ganyu-org", role="org_operator", organisation=personas.org_ganyu)
    schedule = ScheduleFactory(course__provider=ProviderFactory(organisation=personas.org_ganyu))
    person = PersonFactory(region_id="320707")
    cert = CertificateFactory(person=person, occupation_id="6-18-02", issue_date=datetime.date(2026, 6, 1))
    return claim_submit(
        actor=operator,
        kind="vocational",
        schedule=schedule,
        bank_name="中国银行",
        account="621700001111222233",
        trainees=[as_trainee(person, cert)],
    )


def test_another_countys_or_organisations_claim_is_404_and_audited(client, personas):
    claim = _ganyu_claim(personas)
    for user in (personas.haizhou, personas.org_operator):
        client.force_login(user)
        before = AuditEntry.objects.count()
        assert client.get("/training/claims/%d/" % claim.pk).status_code == 404
        assert AuditEntry.objects.count() == before + 1
        assert client.post("/training/claims/%d/county_pass/" % claim.pk).status_code == 404
        assert claim.pk not in [r.record.pk for r in client.get("/training/claims/").context["table"].rows]
    client.force_login(personas.city)
    page = client.get("/training/claims/%d/" % claim.pk).content.decode()
    assert "符合" in page and "****" in page  # the account is masked
    assert "621700001111222233" not in page


def test_the_claim_form_reads_trainees_one_per_line_and_says_which_line_is_wrong(client, personas):
    schedule = ScheduleFactory(course__provider=ProviderFactory(organisation=personas.org_haizhou))
    client.force_login(personas.org_operator)
    data = {
        "kind": "vocational",
        "schedule": schedule.pk,
        "bank_name": "中国银行",
        "account": "621700001111222233",
        "trainees": "张三 320706199001011234\n",
    }
    response = client.post("/training/claims/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["trainees"] == ["第1行应为“姓名 身份证号 证书编号”三项"]
    person = PersonFactory(region_id="320706")
    cert = CertificateFactory(person=person, occupation_id="6-18-02", issue_date=datetime.date(2026, 6, 1))
    trainee = as_trainee(person, cert)
    data["trainees"] = "%s，%s，%s" % (trainee.name, trainee.resident_id, trainee.certificate_number)
    response = client.post("/training/claims/new/", data)
    claim = SubsidyClaim.objects.get()
    assert response.status_code == 302 and response["Location"] == "/training/claims/%d/" % claim.pk
    assert claim.lines.get().eligible


def test_an_enterprise_records_its_year_and_a_chain_leader_its_chain(client, personas):
    org = personas.org_haizhou
    client.force_login(personas.org_operator)
    data = {
        "organisation": org.pk,
        "year": 2025,
        "has_training_system": "on",
        "in_development_plan": "on",
        "congress_report_on": "2025-12-20",
        "trained_primary": 10,
        "trained_intermediate": 5,
        "trained_advanced": 3,
        "trained_technician": 1,
        "education_fund": "50000",
    }
    assert client.post("/training/enterprise/new/", data).status_code == 302
    record = EnterpriseTraining.objects.get(organisation=org, year=2025)
    assert (record.trained_total, record.in_manager_targets) == (19, False)
    again = client.post("/training/enterprise/new/", data)
    assert again.context["form"].non_field_errors() == ["该企业该年度的培训情况已填报，请修改原记录"]
    member = OrganisationFactory(name="海州链上配套企业有限公司", region_id="320706")
    chain = {"chain-member_uscc": member.uscc, "chain-staff_trained": 12}
    client.post("/training/enterprise/%d/chain/" % record.pk, chain)
    assert not ChainTraining.objects.exists()  # not a 链主, 龙头 or 专精特新 enterprise
    org.is_chain_leader = True
    org.save()
    client.post("/training/enterprise/%d/chain/" % record.pk, chain)
    assert list(ChainTraining.objects.values_list("member__name", "staff_trained")) == [
        ("海州链上配套企业有限公司", 12)
    ]
    page = client.get("/training/enterprise/%d/" % record.pk).content.decode()
    assert "海州链上配套企业有限公司 · 12 人次" in page
    # another county's operator cannot open it
    client.force_login(UserFactory(username="ganyu-op", role="region_operator", region_id="320707"))
    assert client.get("/training/enterprise/%d/" % record.pk).status_code == 404


def test_a_teacher_is_linked_to_the_talent_registry_by_id_number(client, personas):
    from gongjiang.core.crypto import decrypt

    provider = ProviderFactory(organisation=personas.org_haizhou)
    client.force_login(personas.org_operator)
    url = "/training/providers/%d/teachers/new/" % provider.pk
    response = client.post(url, {"name": "王师傅", "resident_id": "110101199003070011"})
    assert response.context["form"].errors["resident_id"] == ["人才库中没有该身份证号的人员"]
    person = personas.person_haizhou
    assert (
        client.post(url, {"name": person.name, "resident_id": decrypt(person.id_cipher)}).status_code == 302
    )
    assert provider.teachers.get().person == person
