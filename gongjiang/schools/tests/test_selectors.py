"""The teacher share (专业课教师高级证书比例) on crafted rosters, and the other figures of measure 二."""

import datetime

import pytest

from gongjiang.accounts.scope import SYSTEM
from gongjiang.schools.selectors import (
    demonstration_progress,
    school_list,
    school_share_rows,
    teacher_share,
    teachers_below_high,
)
from gongjiang.schools.tests.factories import (
    DemonstrationFactory,
    SchoolFactory,
    TeacherFactory,
    teacher_with_level,
)
from gongjiang.talents.services import certificate_revoke
from gongjiang.talents.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def roster(school, levels):
    return [teacher_with_level(school, level) for level in levels]


def test_exactly_ninety_percent_meets_the_goal():
    school = SchoolFactory()
    roster(school, ["GRADE3"] * 5 + ["GRADE2", "GRADE1", "SPECIAL", "CHIEF", "GRADE4"])
    share = teacher_share(school=school, user=SYSTEM)
    assert (share["high"], share["total"], share["below"]) == (9, 10, 1)
    assert share["value"] == 0.9
    assert share["goal"] == 0.9
    assert share["met"] is True


def test_just_under_ninety_percent_does_not_meet_the_goal():
    school = SchoolFactory()
    # 62 of 69 is 89.86%: rounds to 89.9% and must not pass for 90%.
    roster(school, ["GRADE3"] * 62 + ["GRADE4"] * 7)
    share = teacher_share(school=school, user=SYSTEM)
    assert (share["high"], share["total"]) == (62, 69)
    assert share["met"] is False
    rows = {r["school_id"]: r for r in school_share_rows(user=SYSTEM)}
    assert rows[school.pk]["met"] is False


def test_revoked_high_certificate_does_not_count(personas):
    school = SchoolFactory()
    kept = teacher_with_level(school, "GRADE3")
    revoked = teacher_with_level(school, "GRADE3")
    certificate_revoke(actor=personas.city, certificate=revoked.person.certificates.get(), reason="证书造假")
    share = teacher_share(school=school, user=SYSTEM)
    assert (share["high"], share["total"]) == (1, 2)
    assert list(teachers_below_high(school=school, user=SYSTEM)) == [revoked]
    assert kept not in teachers_below_high(school=school, user=SYSTEM)


def test_special_ability_certificate_does_not_count():
    school = SchoolFactory()
    teacher = TeacherFactory(school=school)
    CertificateFactory(person=teacher.person, cert_type_id="special_ability", level_id=None)
    assert teacher_share(school=school, user=SYSTEM)["high"] == 0
    assert list(teachers_below_high(school=school, user=SYSTEM)) == [teacher]


def test_expired_certificate_and_teacher_without_certificate_do_not_count():
    school = SchoolFactory()
    teacher_with_level(
        school, "GRADE2", issue_date=datetime.date(2015, 1, 1), valid_until=datetime.date(2020, 1, 1)
    )
    teacher_with_level(school, None)
    teacher_with_level(school, "GRADE3")
    share = teacher_share(school=school, user=SYSTEM)
    assert (share["high"], share["total"]) == (1, 3)


def test_a_teacher_who_left_is_not_counted_from_the_day_they_left():
    school = SchoolFactory()
    roster(school, ["GRADE3", "GRADE4"])
    gone = teacher_with_level(school, "GRADE4")
    gone.left_on = datetime.date(2026, 1, 31)
    gone.save()
    assert teacher_share(school=school, user=SYSTEM)["total"] == 2
    assert teacher_share(school=school, on=datetime.date(2026, 1, 31), user=SYSTEM)["total"] == 2
    assert teacher_share(school=school, on=datetime.date(2026, 1, 30), user=SYSTEM)["total"] == 3
    assert gone not in teachers_below_high(school=school, user=SYSTEM)


def test_share_on_a_past_date_uses_certificates_issued_by_then():
    school = SchoolFactory()
    teacher_with_level(school, "GRADE3", issue_date=datetime.date(2026, 3, 1))
    teacher_with_level(school, "GRADE3", issue_date=datetime.date(2020, 3, 1))
    assert teacher_share(school=school, on=datetime.date(2025, 12, 31), user=SYSTEM)["high"] == 1
    assert teacher_share(school=school, user=SYSTEM)["high"] == 2


def test_city_share_counts_a_person_teaching_at_two_schools_once_and_regions_separately():
    haizhou = SchoolFactory(region_id="320706")
    ganyu = SchoolFactory(region_id="320707", kind="technical_school")
    shared = teacher_with_level(haizhou, "GRADE3")
    TeacherFactory(school=ganyu, person=shared.person, category="internship")
    teacher_with_level(ganyu, "GRADE4")
    assert teacher_share(user=SYSTEM)["total"] == 2
    assert teacher_share(user=SYSTEM)["high"] == 1
    assert teacher_share(region="320707", user=SYSTEM)["total"] == 2
    assert teacher_share(region="320706", user=SYSTEM)["total"] == 1
    assert teacher_share(region="320700", user=SYSTEM)["total"] == 2  # the city root covers every county


def test_share_is_scoped_to_what_the_user_may_see(personas):
    roster(SchoolFactory(region_id="320706"), ["GRADE3", "GRADE4"])
    roster(SchoolFactory(region_id="320707"), ["GRADE3"])
    assert teacher_share(user=personas.haizhou)["total"] == 2
    assert teacher_share(user=personas.city)["total"] == 3
    assert teacher_share(user=personas.talent)["total"] == 0


def test_school_rows_agree_with_each_schools_share(personas):
    first, second = SchoolFactory(), SchoolFactory(kind="technical_school")
    roster(first, ["GRADE3", "GRADE3", "GRADE5"])
    roster(second, ["GRADE1"])
    listed = {s.pk: (s.teacher_high, s.teacher_total) for s in school_list(user=personas.city)}
    assert listed[first.pk] == (2, 3)
    assert listed[second.pk] == (1, 1)
    for row in school_share_rows(user=SYSTEM):
        share = teacher_share(school=row["school_id"], user=SYSTEM)
        assert (row["high"], row["total"], row["met"]) == (share["high"], share["total"], share["met"])


def test_demonstration_progress_counts_supported_and_built_per_kind():
    DemonstrationFactory(school=SchoolFactory(kind="vocational_school"), status="supported")
    DemonstrationFactory(school=SchoolFactory(kind="vocational_school"), status="accepted")
    DemonstrationFactory(school=SchoolFactory(kind="technical_school"), status="candidate")
    DemonstrationFactory(school=SchoolFactory(kind="technical_school"), status="withdrawn")
    progress = demonstration_progress(user=SYSTEM)
    assert progress["vocational_school"] == {
        "label": "职业学校",
        "supported": 2,
        "accepted": 1,
        "goal": 2,
        "met": True,
    }
    assert progress["technical_school"]["supported"] == 0
    assert progress["technical_school"]["met"] is False
