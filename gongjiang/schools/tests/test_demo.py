"""seed_demo's schools: teachers from the demo persons with realistic shares, the 2 + 2 with
milestones, practice, training and graduates for the last three years."""

import datetime
import io

import pytest
from django.core.management import call_command

from gongjiang.accounts.scope import SYSTEM
from gongjiang.schools.models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher
from gongjiang.schools.selectors import milestone_overdue_q, school_share_rows
from gongjiang.talents.models import Person

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_schools():
    call_command("seed_demo", persons=5000, password="Gongjiang@2026x", stdout=io.StringIO())
    assert Person.objects.count() == 5000  # teachers are demo persons, not extra ones
    rows = school_share_rows(user=SYSTEM)
    assert len(rows) == 6
    for row in rows:
        assert 20 <= row["total"] <= 60, row
        assert 0.77 <= row["value"] <= 0.97, row
    assert Teacher.objects.filter(left_on__isnull=False).exists()
    assert set(Teacher.objects.values_list("category", flat=True)) == {"professional", "internship"}
    staff = Teacher.objects.filter(category="professional").select_related("person")
    assert all(t.person.employer_id == t.school_id for t in staff)

    kinds = sorted(DemonstrationSchool.objects.values_list("school__kind", flat=True))
    assert kinds == ["technical_school", "technical_school", "vocational_school", "vocational_school"]
    for demonstration in DemonstrationSchool.objects.all():
        assert demonstration.milestones.count() >= 4
    assert not Milestone.objects.filter(done_on__isnull=False, evidence="").exists()
    assert Milestone.objects.filter(done_on__isnull=False).exists()

    this_year = datetime.date.today().year
    years = set(EnterprisePractice.objects.values_list("start_on__year", flat=True))
    assert years == {this_year - 2, this_year - 1, this_year}
    for practice in EnterprisePractice.objects.all()[:200]:
        practice.full_clean()
    assert SchoolYear.objects.count() == 6 * 3
    for row in SchoolYear.objects.all():
        row.full_clean()
        assert 0.6 <= row.dual_rate <= 0.95
    assert Milestone.objects.filter(milestone_overdue_q()).count() < Milestone.objects.count()
