"""The counting rules of DESIGN.md on crafted data, through the services that keep them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongjiang.talents.choices import CertificateStatus
from gongjiang.talents.models import Person
from gongjiang.talents.services import certificate_create, certificate_revoke, persons_refresh_derived
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def add(person, level, issued, cert_type="skill_level", **kw):
    return CertificateFactory(person=person, level_id=level, issue_date=issued, cert_type_id=cert_type, **kw)


def test_one_person_with_two_high_certificates_counts_once_from_the_first():
    person = PersonFactory()
    add(person, "GRADE2", D(2026, 5, 1))
    add(person, "GRADE3", D(2026, 4, 1))
    person.refresh_from_db()
    assert person.is_high_skilled
    assert person.high_skilled_since == D(2026, 4, 1)
    assert person.highest_level_id == "GRADE2"
    assert Person.objects.filter(is_high_skilled=True).count() == 1


def test_special_ability_certificate_never_makes_anyone_high_skilled():
    person = PersonFactory()
    add(person, None, D(2026, 2, 1), cert_type="special_ability")
    person.refresh_from_db()
    assert not person.is_high_skilled
    assert person.highest_level_id is None
    assert person.high_skilled_since is None


def test_special_ability_refuses_a_level():
    person = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        certificate_create(
            actor=None,
            person=person,
            cert_type_id="special_ability",
            level_id="GRADE3",
            number="Z1",
            issuer="考核机构",
            issue_date=D(2026, 1, 5),
        )
    assert "level" in exc.value.error_dict
    assert not person.certificates.exists()


def test_mid_level_certificate_gives_level_but_not_high_skilled():
    person = PersonFactory()
    add(person, "GRADE4", D(2024, 1, 1))
    person.refresh_from_db()
    assert person.highest_level_id == "GRADE4"
    assert not person.is_high_skilled


def test_revoked_certificate_stops_counting_and_derived_fields_follow(personas):
    person = PersonFactory()
    first = add(person, "GRADE3", D(2026, 1, 10))
    add(person, "GRADE4", D(2020, 1, 1))
    certificate_revoke(actor=personas.city, certificate=first, reason="弄虚作假取得")
    person.refresh_from_db()
    first.refresh_from_db()
    assert first.status == CertificateStatus.REVOKED
    assert not person.is_high_skilled
    assert person.high_skilled_since is None
    assert person.highest_level_id == "GRADE4"


def test_revoking_the_first_high_certificate_moves_the_date_to_the_next_valid_one(personas):
    person = PersonFactory()
    first = add(person, "GRADE3", D(2026, 1, 10))
    add(person, "GRADE2", D(2026, 3, 1))  # issued before today: a certificate dated later counts from then
    certificate_revoke(actor=personas.city, certificate=first, reason="撤销测试")
    person.refresh_from_db()
    assert person.high_skilled_since == D(2026, 3, 1)


def test_expired_certificate_counts_for_nothing():
    person = PersonFactory()
    add(person, "SPECIAL", D(2026, 6, 1), cert_type="appointment", status=CertificateStatus.EXPIRED)
    person.refresh_from_db()
    assert not person.is_high_skilled
    assert person.highest_level_id is None


def test_introduced_talent_counts_from_the_later_of_certificate_and_arrival():
    person = PersonFactory(introduced_on=D(2026, 7, 1))
    add(person, "GRADE2", D(2018, 5, 1))
    person.refresh_from_db()
    assert person.high_skilled_since == D(2026, 7, 1)
    local = PersonFactory(introduced_on=D(2020, 1, 1))
    add(local, "GRADE3", D(2026, 2, 2))
    local.refresh_from_db()
    assert local.high_skilled_since == D(2026, 2, 2)


def test_first_attainment_on_new_year_boundary_is_kept_exactly():
    late = PersonFactory()
    add(late, "GRADE3", D(2025, 12, 31))
    early = PersonFactory()
    add(early, "GRADE3", D(2026, 1, 1))
    late.refresh_from_db()
    early.refresh_from_db()
    assert late.high_skilled_since == D(2025, 12, 31)
    assert early.high_skilled_since == D(2026, 1, 1)


def test_refresh_is_set_based_over_many_persons():
    persons = [PersonFactory() for _ in range(5)]
    for i, p in enumerate(persons):
        add(p, "GRADE3" if i % 2 == 0 else "GRADE5", D(2026, 1, i + 1))
    Person.objects.update(is_high_skilled=False, high_skilled_since=None, highest_level=None)
    persons_refresh_derived(person_ids=[p.pk for p in persons])
    assert Person.objects.filter(is_high_skilled=True).count() == 3
    assert Person.objects.filter(highest_level_id="GRADE5").count() == 2


def test_certificate_past_its_valid_until_counts_for_nothing():
    person = PersonFactory()
    add(person, "SPECIAL", D(2024, 6, 1), cert_type="appointment", valid_until=D(2025, 6, 1))
    person.refresh_from_db()
    assert not person.is_high_skilled
    assert person.highest_level_id is None


def test_person_service_refuses_an_employer_outside_the_actors_scope(personas):
    import random

    from gongjiang.common.demo import make_resident_id
    from gongjiang.talents.services import PersonData, person_create

    data = PersonData(
        name="越界单位",
        id_number=make_resident_id(random.Random(7)),
        region_id="320706",
        employer_id=personas.org_ganyu.pk,
    )
    with pytest.raises(ValidationError) as exc:
        person_create(actor=personas.haizhou, data=data)
    assert "数据范围" in str(exc.value.message_dict["employer"])
    assert not Person.objects.filter(name="越界单位").exists()
    data.employer_id = personas.org_haizhou.pk
    assert person_create(actor=personas.haizhou, data=data).employer == personas.org_haizhou
