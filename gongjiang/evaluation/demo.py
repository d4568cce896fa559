"""Demo data for skill evaluation: a handful of filed institutions in every state, batches along
their lifecycle, one published batch whose certificates exist, and 评聘 of the demo enterprise.

Called by ``seed_demo`` once the demo persons and accounts exist. Filings and batches are written
in the state they are shown in; the publication and the recorded appointment go through the
services, so their certificates and the persons' derived fields are exactly what production makes.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.core.models import Occupation
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Person

from .choices import AppointmentStatus, BatchStatus, FilingStatus, InstitutionType
from .models import Appointment, Batch, Candidate, Filing
from .services import appointment_transition, batch_transition


def seed_evaluation(rng: random.Random) -> dict[str, int]:
    """Generate the evaluation demo once (nothing when filings exist or the accounts are missing)."""
    city = User.objects.filter(username="city").first()
    org_user = User.objects.filter(username="org").select_related("organisation").first()
    if Filing.objects.exists() or city is None or not Person.objects.exists():
        return {}
    with transaction.atomic():
        return _generate(rng, city, org_user)


def _generate(rng: random.Random, city: User, org_user: User | None) -> dict[str, int]:
    today = timezone.localdate()
    now = timezone.now()
    common = [
        code
        for code, _n in Person.objects.exclude(occupation=None)
        .values_list("occupation")
        .annotate(n=Count("id"))
        .order_by("-n", "occupation")[:8]
    ] or ["6-18-02"]
    names = dict(Occupation.objects.filter(code__in=common).values_list("code", "name"))

    def file(org, kind, status, occupations, levels, *, start, end, reason="", by=None):
        filing = Filing.objects.create(
            organisation=org,
            institution_type=kind,
            valid_from=start,
            valid_to=end,
            status=status,
            status_reason=reason,
            submitted_by=by or city,
            submitted_at=now - datetime.timedelta(days=rng.randint(60, 400)),
            decided_by=None if status == FilingStatus.SUBMITTED else city,
            decided_at=None if status == FilingStatus.SUBMITTED else now - datetime.timedelta(days=30),
        )
        filing.occupations.set(occupations)
        filing.levels.set(levels)
        return filing

    def named(name, kind):
        return (
            Organisation.objects.filter(name=name).first() or Organisation.objects.filter(kind=kind).first()
        )

    skill = ["GRADE5", "GRADE4", "GRADE3", "GRADE2", "GRADE1"]
    start, end = datetime.date(today.year - 2, 1, 1), datetime.date(today.year + 3, 12, 31)
    filings: list[Filing] = []
    centre = named("连云港市职业技能鉴定指导中心", OrgKind.EVALUATION_INSTITUTION)
    college = named("连云港技师学院", OrgKind.TECHNICAL_SCHOOL)
    school = named("江苏省连云港中等专业学校", OrgKind.VOCATIONAL_SCHOOL)
    training = named("灌云县职业培训中心", OrgKind.TRAINING_INSTITUTION)
    enterprise = org_user.organisation if org_user and org_user.organisation_id else None
    suspended_org = (
        Organisation.objects.filter(kind=OrgKind.ENTERPRISE, region_id="320707").order_by("id").first()
    )

    centre_filing = college_filing = employer_filing = None
    if centre:
        centre_filing = file(
            centre, InstitutionType.SOCIAL, FilingStatus.APPROVED, common, skill, start=start, end=end
        )
        filings.append(centre_filing)
    if college:
        college_filing = file(
            college,
            InstitutionType.SCHOOL,
            FilingStatus.APPROVED,
            common[:4],
            skill[1:4],
            start=start,
            end=end,
        )
        filings.append(college_filing)
    if school and school != college:
        filings.append(
            file(
                school,
                InstitutionType.SCHOOL,
                FilingStatus.SUBMITTED,
                common[:3],
                skill[:3],
                start=today,
                end=end,
            )
        )
    if training and training not in (centre, college, school):
        filings.append(
            file(
                training,
                InstitutionType.SOCIAL,
                FilingStatus.REJECTED,
                common[:2],
                skill[:2],
                start=today,
                end=end,
                reason="考评人员数量不足，请补充考评员名单后重新提交",
            )
        )
    if enterprise:
        staff_occupations = list(
            Person.objects.filter(employer=enterprise)
            .exclude(occupation=None)
            .values_list("occupation", flat=True)
        )
        employer_filing = file(
            enterprise,
            InstitutionType.EMPLOYER,
            FilingStatus.APPROVED,
            sorted(set(staff_occupations))[:4] or common[:2],
            ["GRADE3", "GRADE2", "GRADE1", "SPECIAL", "CHIEF"],
            start=start,
            end=end,
            by=org_user,
        )
        filings.append(employer_filing)
    if suspended_org and suspended_org != enterprise:
        filings.append(
            file(
                suspended_org,
                InstitutionType.EMPLOYER,
                FilingStatus.SUSPENDED,
                common[:2],
                skill[2:4],
                start=start,
                end=end,
                reason="质量督导发现考核过程记录不全，暂停评价活动",
            )
        )

    counts = {"filings": len(filings), "batches": 0, "certificates": 0, "appointments": 0}

    def batch(filing, name, occupation, level, exam, status, persons, *, results=True, reason=""):
        row = Batch.objects.create(
            filing=filing,
            name=name,
            occupation_id=occupation,
            level_id=level,
            exam_date=exam,
            status=status,
            status_reason=reason,
            reported_at=now if status in (BatchStatus.REPORTED, BatchStatus.RETURNED) else None,
        )
        candidates = []
        for i, person in enumerate(persons):
            passed = (i == 0 or rng.random() < 0.8) if results else None
            score = Decimal(rng.randint(60, 96) if passed else rng.randint(30, 59)) if results else None
            candidates.append(Candidate(batch=row, person=person, passed=passed, score=score))
        Candidate.objects.bulk_create(candidates)
        counts["batches"] += 1
        return row

    def pick(queryset, n):
        ids = list(queryset.values_list("pk", flat=True)[:500])
        return list(Person.objects.filter(pk__in=rng.sample(ids, min(n, len(ids)))).order_by("pk"))

    past = today - datetime.timedelta(days=20)
    if centre_filing:
        occupation = common[0]
        published = batch(
            centre_filing,
            "%d年第三季度%s技师认定" % (today.year, names.get(occupation, "")),
            occupation,
            "GRADE2",
            today - datetime.timedelta(days=45),
            BatchStatus.REPORTED,
            pick(Person.objects.filter(occupation_id=occupation, highest_level_id="GRADE3"), 10),
        )
        if published.candidates.exists():
            batch_transition(actor=city, batch=published, action="publish")
            counts["certificates"] += published.candidates.filter(certificate__isnull=False).count()
        batch(
            centre_filing,
            "%d年第四季度%s高级工认定" % (today.year, names.get(occupation, "")),
            occupation,
            "GRADE3",
            past,
            BatchStatus.REPORTED,
            pick(Person.objects.filter(occupation_id=occupation, highest_level_id="GRADE4"), 12),
        )
    if college_filing:
        batch(
            college_filing,
            "%d届毕业生中级工认定" % today.year,
            common[0],
            "GRADE4",
            past,
            BatchStatus.RETURNED,
            pick(Person.objects.filter(highest_level_id="GRADE5"), 8),
            reason="部分考生实操成绩与考评记录不一致，请核对后重新上报",
        )
        batch(
            college_filing,
            "%d年寒假高级工认定" % today.year,
            common[1] if len(common) > 1 else common[0],
            "GRADE3",
            today + datetime.timedelta(days=40),
            BatchStatus.CANCELLED,
            [],
            results=False,
            reason="报名人数不足，本批次取消",
        )
    if employer_filing:
        occupations = list(employer_filing.occupations.values_list("code", flat=True))
        batch(
            employer_filing,
            "%d年企业自主评价技师认定" % today.year,
            occupations[0],
            "GRADE2",
            today - datetime.timedelta(days=3),
            BatchStatus.PLANNED,
            pick(Person.objects.filter(employer=employer_filing.organisation, highest_level_id="GRADE3"), 5),
            results=False,
        )
        counts["appointments"] = _appointments(rng, city, org_user, employer_filing, occupations[0])
    return counts


def _appointments(rng: random.Random, city: User, org_user: User, filing: Filing, occupation: str) -> int:
    """One 特级技师 appointment recorded by the city (its certificate issued) and one waiting."""
    seniors = list(
        Person.objects.filter(employer=filing.organisation, highest_level_id="GRADE1").order_by("pk")[:2]
    )
    covered = set(filing.occupations.values_list("code", flat=True))
    made = 0
    for i, person in enumerate(seniors):
        appointment = Appointment.objects.create(
            organisation=filing.organisation,
            filing=filing,
            person=person,
            level_id="SPECIAL",
            occupation_id=person.occupation_id if person.occupation_id in covered else occupation,
            appointed_on=timezone.localdate() - datetime.timedelta(days=rng.randint(10, 120)),
            term_end=timezone.localdate() + datetime.timedelta(days=3 * 365),
            status=AppointmentStatus.SUBMITTED,
            submitted_by=org_user,
        )
        if i == 0:
            appointment_transition(actor=city, appointment=appointment, action="confirm")
        made += 1
    return made
