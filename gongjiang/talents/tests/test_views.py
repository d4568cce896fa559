"""The talent pages as a user drives them: filters, search, forms and their Chinese messages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjiang.accounts.models import AuditEntry
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db


def names(response):
    return {row.record.name for row in response.context["table"].paginated_rows}


@pytest.fixture
def crowd(personas):
    """A handful of people with distinct attributes to filter on."""
    welder = PersonFactory(
        name="焊工甲", region_id="320706", domain_id="advanced_manufacturing", occupation_id="6-18-02"
    )
    CertificateFactory(person=welder, level_id="GRADE2", issue_date=datetime.date(2026, 5, 1))
    driver = PersonFactory(name="驾驶员乙", region_id="320707", domain_id="low_altitude_economy")
    CertificateFactory(person=driver, level_id="GRADE4", issue_date=datetime.date(2023, 5, 1))
    old_hand = PersonFactory(name="老师傅丙", region_id="320707", employer=personas.org_ganyu)
    CertificateFactory(person=old_hand, level_id="GRADE1", issue_date=datetime.date(2015, 5, 1))
    return {"welder": welder, "driver": driver, "old_hand": old_hand}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "320707"}, {"驾驶员乙", "老师傅丙", "赣榆人员"}),
        ({"domain": "low_altitude_economy"}, {"驾驶员乙"}),
        ({"highest_level": "GRADE2"}, {"焊工甲"}),
        ({"is_high_skilled": "false"}, {"驾驶员乙"}),
        ({"attained_year": "2015"}, {"老师傅丙"}),
        ({"occupation": "6-18-02"}, {"焊工甲"}),
        ({"q": "焊工"}, {"焊工甲"}),
        ({"region": "320707", "is_high_skilled": "true"}, {"老师傅丙", "赣榆人员"}),
    ],
)
def test_person_list_filters(personas, crowd, login, params, expected):
    response = login(personas.city).get("/talents/persons/", params)
    assert names(response) == expected


def test_employer_filter(personas, crowd, login):
    response = login(personas.city).get("/talents/persons/", {"employer": personas.org_ganyu.pk})
    assert names(response) == {"老师傅丙", "赣榆人员"}


def test_search_by_full_id_with_spaces_and_lowercase(personas, crowd, login):
    number = crowd["driver"].id_number
    typed = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    response = login(personas.city).post("/talents/persons/", {"q": typed}, follow=True)
    assert names(response) == {"驾驶员乙"}


def test_person_list_query_count_does_not_grow_with_rows(personas, login):
    client = login(personas.city)
    client.get("/talents/persons/")
    with CaptureQueriesContext(connection) as few:
        client.get("/talents/persons/")
    for _ in range(20):
        CertificateFactory(person=PersonFactory(employer=personas.org_haizhou, occupation_id="6-18-02"))
    with CaptureQueriesContext(connection) as many:
        client.get("/talents/persons/")
    assert len(many) == len(few)


def test_profile_query_count_does_not_grow_with_certificates(personas, login):
    client = login(personas.city)
    person = personas.person_haizhou
    with CaptureQueriesContext(connection) as few:
        client.get(f"/talents/persons/{person.pk}/")
    for i in range(6):
        CertificateFactory(person=person, issue_date=datetime.date(2020 + i, 1, 1), occupation_id="6-18-02")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/talents/persons/{person.pk}/")
    assert len(many) == len(few)


def test_create_person_shows_chinese_errors_at_fields(personas, login):
    response = login(personas.city).post(
        "/talents/persons/new/",
        {"name": "", "id_number": "320706199001011231", "phone": "12345", "region": "320706"},
    )
    errors = response.context["form"].errors
    assert "身份证号校验位错误" in errors["id_number"][0]
    assert "手机号格式不正确" in errors["phone"][0]
    assert errors["name"]
    assert Person.objects.filter(name="").count() == 0


def test_create_person_then_duplicate_id_refused(personas, login):
    client = login(personas.city)
    data = {"name": "新人员", "id_number": "320706199001011230", "phone": "13912345678", "region": "320706"}
    response = client.post("/talents/persons/new/", data)
    person = Person.objects.get(name="新人员")
    assert response.status_code == 302
    assert response["Location"] == f"/talents/persons/{person.pk}/"
    assert person.gender == "M"
    assert person.birth_date == datetime.date(1990, 1, 1)
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk)).exists()
    again = client.post("/talents/persons/new/", {**data, "name": "重复"})
    assert "已在您的数据范围内登记" in again.context["form"].errors["id_number"][0]


def test_duplicate_id_outside_scope_is_refused_without_saying_where_audited_and_rate_limited(
    personas, login, settings
):
    settings.GONGJIANG_DUPLICATE_ID_LIMIT_PER_HOUR = 3
    other = personas.person_ganyu
    client = login(personas.haizhou)
    data = {"name": "试探", "id_number": other.id_number, "region": "320706"}
    for _ in range(3):
        error = client.post("/talents/persons/new/", data).context["form"].errors["id_number"][0]
        assert "人才库" not in error and "赣榆" not in error and other.name not in error
        assert "不能登记" in error
    refusals = AuditEntry.objects.filter(
        action="person.duplicate_refused", username=personas.haizhou.username
    )
    assert refusals.count() == 3
    assert refusals.first().result == "denied"
    assert other.id_number not in str(refusals.first().changes)
    # Over the limit: refused before any lookup, the same for a registered and an unknown number.
    for number in (other.id_number, "320706199001011230"):
        error = client.post("/talents/persons/new/", {**data, "id_number": number}).context["form"].errors
        assert "次数过多" in error["id_number"][0]
    assert not Person.objects.filter(name="试探").exists()


def test_edit_person_keeps_id_and_audits_changes(personas, login):
    person = personas.person_haizhou
    client = login(personas.haizhou)
    response = client.post(
        f"/talents/persons/{person.pk}/edit/",
        {"name": "改过的名字", "region": "320706", "introduced_on": "2026-03-01", "phone": ""},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "改过的名字"
    assert person.introduced_on == datetime.date(2026, 3, 1)
    entry = AuditEntry.objects.filter(action="person.update", object_id=str(person.pk)).latest("id")
    assert entry.changes["name"][1] == "改过的名字"


def test_add_certificate_from_profile_updates_derived_fields(personas, login):
    person = PersonFactory(region_id="320706")
    client = login(personas.haizhou)
    response = client.post(
        f"/talents/persons/{person.pk}/certificates/add/",
        {
            "cert_type": "skill_level",
            "level": "GRADE2",
            "number": "Y320700000000002000123",
            "issuer": "连云港市技师学院",
            "issue_date": "2026-06-30",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.highest_level_id == "GRADE2"
    assert person.high_skilled_since == datetime.date(2026, 6, 30)
    page = client.get(f"/talents/persons/{person.pk}/").content.decode()
    assert "Y320700000000002000123" in page


def test_add_certificate_with_bad_data_shows_errors_and_writes_nothing(personas, login):
    person = PersonFactory(region_id="320706")
    response = login(personas.city).post(
        f"/talents/persons/{person.pk}/certificates/add/",
        {
            "cert_type": "special_ability",
            "level": "GRADE3",
            "number": "Z1",
            "issuer": "机构",
            "issue_date": "2999-01-01",
        },
    )
    assert response.status_code == 422
    errors = response.context["certificate_form"].errors
    assert "没有技能等级" in errors["level"][0]
    assert "不能晚于今天" in errors["issue_date"][0]
    assert not Certificate.objects.filter(person=person).exists()


def test_revoke_requires_reason_and_is_audited(personas, login):
    cert = personas.person_haizhou.certificates.first()
    client = login(personas.city)
    client.post(f"/talents/certificates/{cert.pk}/revoke/", {"reason": ""})
    cert.refresh_from_db()
    assert cert.status == "valid"
    client.post(f"/talents/certificates/{cert.pk}/revoke/", {"reason": "证书造假"})
    cert.refresh_from_db()
    assert cert.status == "revoked"
    assert cert.revoked_reason == "证书造假"
    entry = AuditEntry.objects.get(action="certificate.revoke", object_id=str(cert.pk))
    assert entry.changes["reason"] == "证书造假"
    personas.person_haizhou.refresh_from_db()
    assert not personas.person_haizhou.is_high_skilled


def test_reveal_needs_reason_and_writes_one_audit_row(personas, login):
    person = personas.person_haizhou
    client = login(personas.haizhou)
    response = client.post(f"/talents/persons/{person.pk}/reveal/", {"reason": ""})
    assert response.status_code == 422
    assert person.id_number not in response.content.decode()
    before = AuditEntry.objects.filter(action="person.reveal").count()
    response = client.post(f"/talents/persons/{person.pk}/reveal/", {"reason": "核对社保信息"})
    assert person.id_number in response.content.decode()
    assert AuditEntry.objects.filter(action="person.reveal").count() == before + 1


def test_profile_shows_masked_id_only(personas, login):
    person = personas.person_haizhou
    text = login(personas.org_operator).get(f"/talents/persons/{person.pk}/").content.decode()
    assert person.id_masked in text
    assert person.id_number not in text
    assert person.phone not in text
    assert "查看完整号码" not in text  # an organisation operator may not unmask


def test_employer_search_by_name_or_credit_code(personas, crowd, login):
    client = login(personas.city)
    by_name = client.get("/talents/persons/", {"employer_q": "赣榆测试港务"})
    assert names(by_name) == {"老师傅丙", "赣榆人员"}
    by_code = client.get("/talents/persons/", {"employer_q": personas.org_ganyu.uscc.lower()})
    assert names(by_code) == {"老师傅丙", "赣榆人员"}


def test_an_organisations_staff_fragment_shows_only_staff_in_scope(personas, login):
    from gongjiang.talents.tests.factories import PersonFactory

    PersonFactory(name="海州第二人", region_id="320706", employer=personas.org_haizhou)
    PersonFactory(name="赣榆调入人员", region_id="320707", employer=personas.org_haizhou)
    page = login(personas.haizhou).get(f"/talents/staff/{personas.org_haizhou.pk}/").content.decode()
    assert "海州人员" in page and "海州第二人" in page
    assert "赣榆调入人员" not in page  # works in 海州's enterprise but registered in 赣榆
    assert 'data-testid="staff-count">2 人' in page
    assert login(personas.ganyu).get(f"/talents/staff/{personas.org_haizhou.pk}/").status_code == 404


def test_the_certificate_that_made_the_person_high_skilled_agrees_with_the_derivation(personas):
    from gongjiang.stats.tests.factories import build_crafted
    from gongjiang.talents.selectors import high_skilled_certificate

    crafted = build_crafted(actor=personas.city, crowd=40)
    introduced_later = 0
    for person in Person.objects.filter(pk__in=[p.pk for p in crafted.everyone]):
        made = high_skilled_certificate(person, person.certificates.select_related("level"))
        if not person.is_high_skilled:
            assert made is None, person.name
            continue
        assert made is not None, person.name
        since = max(made.issue_date, person.introduced_on or made.issue_date)
        assert since == person.high_skilled_since, person.name
        introduced_later += since != made.issue_date
    assert introduced_later >= 1  # the edge case the page used to get wrong is in the data


def test_profile_marks_the_certificate_that_made_an_introduced_talent_high_skilled(personas, login):
    person = PersonFactory(name="引进技师", region_id="320706", introduced_on=datetime.date(2026, 3, 1))
    CertificateFactory(person=person, level_id="GRADE4", number="Y1", issue_date=datetime.date(2019, 6, 1))
    made = CertificateFactory(
        person=person, level_id="GRADE3", number="Y2", issue_date=datetime.date(2024, 5, 1)
    )
    CertificateFactory(person=person, level_id="GRADE2", number="Y3", issue_date=datetime.date(2025, 9, 1))
    person.refresh_from_db()
    assert person.high_skilled_since == datetime.date(2026, 3, 1)
    html = login(personas.city).get(f"/talents/persons/{person.pk}/").content.decode()
    items = html.split('data-testid="timeline-item"')[1:]
    marked = [item for item in items if 'data-testid="made-high-skilled"' in item]
    assert len(marked) == 1 and made.number in marked[0]
    assert "成为高技能人才（引进后自 2026-03-01 起计）" in marked[0]


def test_add_certificate_form_has_one_occupation_field_and_keeps_its_name(personas, login):
    person = PersonFactory(region_id="320706")
    client = login(personas.haizhou)
    page = client.get(f"/talents/persons/{person.pk}/").content.decode()
    assert 'name="occupation"' in page
    assert 'name="occupation_name"' not in page
    response = client.post(
        f"/talents/persons/{person.pk}/certificates/add/",
        {
            "cert_type": "skill_level",
            "level": "GRADE3",
            "occupation": "6-18-02",
            "number": "Y320700000000003000123",
            "issuer": "连云港市技师学院",
            "issue_date": "2026-06-30",
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(number="Y320700000000003000123")
    assert certificate.occupation_id == "6-18-02"
    assert certificate.occupation_name == certificate.occupation.name
