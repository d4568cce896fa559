"""The one counting rule, on crafted histories: on each date, the talents' own reading, the
dashboard's figures, the schools' teacher share and the appointment prerequisite all agree on who
is high-skilled (expired before, on and after the date; revoked; 专项职业能力; issued later)."""

import datetime

import pytest

from gongjiang.accounts.scope import SYSTEM
from gongjiang.schools.selectors import teacher_share
from gongjiang.schools.tests.factories import SchoolFactory, TeacherFactory
from gongjiang.stats.figures import figures_from_raw
from gongjiang.talents.choices import CertificateStatus
from gongjiang.talents.counting import persons_high_skilled_on
from gongjiang.talents.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db
D = datetime.date

# Each teacher's one certificate: (name, level, issued, valid until, status).
HISTORIES = [
    ("至六月底有效", "GRADE3", D(2026, 1, 10), D(2026, 6, 30), CertificateStatus.VALID),
    ("至九月一日有效", "GRADE2", D(2026, 2, 1), D(2026, 9, 1), CertificateStatus.VALID),
    ("已标失效", "GRADE1", D(2026, 2, 1), D(2026, 8, 1), CertificateStatus.EXPIRED),
    ("已撤销", "GRADE3", D(2026, 3, 1), None, CertificateStatus.REVOKED),
    ("中级工", "GRADE4", D(2026, 3, 1), None, CertificateStatus.VALID),
    ("专项能力", None, D(2026, 3, 1), None, CertificateStatus.VALID),
    ("八月取证", "GRADE3", D(2026, 8, 15), None, CertificateStatus.VALID),
]
# Who is high-skilled on each date, written out by hand from the rule.
EXPECTED = {
    D(2026, 6, 30): {"至六月底有效", "至九月一日有效", "已标失效"},
    D(2026, 7, 1): {"至九月一日有效", "已标失效"},
    D(2026, 8, 15): {"至九月一日有效", "八月取证"},
    D(2026, 9, 1): {"至九月一日有效", "八月取证"},
    D(2026, 9, 2): {"八月取证"},
}


@pytest.fixture
def teachers():
    school = SchoolFactory(region_id="320706")
    for name, level, issued, until, status in HISTORIES:
        teacher = TeacherFactory(school=school, person__name=name)
        cert_type = "special_ability" if level is None else "skill_level"
        CertificateFactory(
            person=teacher.person,
            level_id=level,
            cert_type_id=cert_type,
            issue_date=issued,
            valid_until=until,
            status=status,
        )
    return school


@pytest.mark.parametrize("on", sorted(EXPECTED))
def test_every_reader_of_the_rule_agrees_on_each_date(teachers, on):
    expected = EXPECTED[on]
    assert set(persons_high_skilled_on(on).values_list("name", flat=True)) == expected
    assert figures_from_raw(on=on).total.high == len(expected)
    assert teacher_share(on=on, user=SYSTEM, school=teachers)["high"] == len(expected)


def test_the_stored_derivation_is_the_rule_read_today(teachers):
    from gongjiang.talents.models import Person

    today = datetime.date.today()
    stored = set(Person.objects.filter(is_high_skilled=True).values_list("name", flat=True))
    assert stored == set(persons_high_skilled_on(today).values_list("name", flat=True)) == {"八月取证"}
