"""Writes of the schools app. Each validates, saves, checks the row is still in the actor's scope
and audits, in one transaction (a refused write changes nothing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope
from gongjiang.accounts.services import audit_record, model_changes
from gongjiang.core.validators import normalise_uscc
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Person

from .choices import DEMONSTRATION_MOVES, DemonstrationStatus
from .models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher

TEACHER_FIELDS = ("school_id", "person_id", "category", "subject", "left_on")
DEMONSTRATION_FIELDS = ("school_id", "year", "status", "note")
MILESTONE_FIELDS = ("demonstration_id", "name", "due_on", "done_on", "evidence")
PRACTICE_FIELDS = ("teacher_id", "host_name", "host_uscc", "start_on", "end_on", "days", "content")
SCHOOLYEAR_FIELDS = (
    "school_id",
    "year",
    "training_sessions",
    "training_trainees",
    "training_income",
    "graduates",
    "graduates_certified",
)


def _snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _save_new(obj: models.Model, *, actor: User, action: str, fields: tuple[str, ...]):
    obj.full_clean()
    obj.save()
    ensure_in_scope(obj, actor, "add")
    audit_record(actor=actor, action=action, obj=obj, changes=_snapshot(obj, fields))
    return obj


def _save_changed(obj: models.Model, *, actor: User, action: str, fields: tuple[str, ...], changes: dict):
    """Apply ``changes`` to a locked row; audit only what differs."""
    before = _snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    ensure_in_scope(obj, actor, "change")
    audit_record(actor=actor, action=action, obj=obj, changes=model_changes(before, _snapshot(obj, fields)))
    return obj


@transaction.atomic
def teacher_create(
    *, actor: User, school: Organisation, person: Person, category: str, subject: str
) -> Teacher:
    """Enrol a person of the talent database as a teacher of ``school``. The person must be one
    the actor may see; a person is enrolled at a school once."""
    if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": "该人员不在您的数据范围内"})
    if Teacher.objects.filter(school=school, person=person).exists():
        raise ValidationError({"person": "%s已是%s的教师，请编辑原记录" % (person.name, school.name)})
    teacher = Teacher(school=school, person=person, category=category, subject=subject.strip())
    return _save_new(teacher, actor=actor, action="teacher.create", fields=TEACHER_FIELDS)


@transaction.atomic
def teacher_update(
    *, actor: User, teacher: Teacher, category: str, subject: str, left_on: datetime.date | None
) -> Teacher:
    """Change a teacher's category or subject, or record that they left (then no longer counted)."""
    teacher = Teacher.objects.select_for_update().get(pk=teacher.pk)
    return _save_changed(
        teacher,
        actor=actor,
        action="teacher.update",
        fields=TEACHER_FIELDS,
        changes={"category": category, "subject": subject.strip(), "left_on": left_on},
    )


@transaction.atomic
def demonstration_create(
    *,
    actor: User,
    school: Organisation,
    year: int,
    status: str = DemonstrationStatus.CANDIDATE,
    note: str = "",
) -> DemonstrationSchool:
    """Register a school for support as a high-level demonstration school (once per school)."""
    if DemonstrationSchool.objects.filter(school=school).exists():
        raise ValidationError({"school": "%s已登记为示范性学校，请编辑原记录" % school.name})
    demonstration = DemonstrationSchool(school=school, year=year, status=status, note=note.strip())
    return _save_new(demonstration, actor=actor, action="demonstration.create", fields=DEMONSTRATION_FIELDS)


@transaction.atomic
def demonstration_update(
    *, actor: User, demonstration: DemonstrationSchool, year: int, status: str, note: str = ""
) -> DemonstrationSchool:
    """Change a demonstration school's year, note or status. The status moves only along
    拟扶持 → 扶持建设中 → 已建成, or to 终止扶持 before it is built; the row is locked so two
    officers cannot move it at once."""
    demonstration = DemonstrationSchool.objects.select_for_update().get(pk=demonstration.pk)
    old = DemonstrationStatus(demonstration.status)
    if status != old and status not in DEMONSTRATION_MOVES[old]:
        raise ValidationError(
            {"status": "扶持状态不能从“%s”改为“%s”" % (old.label, DemonstrationStatus(status).label)}
        )
    return _save_changed(
        demonstration,
        actor=actor,
        action="demonstration.update",
        fields=DEMONSTRATION_FIELDS,
        changes={"year": year, "status": status, "note": note.strip()},
    )


@transaction.atomic
def milestone_create(
    *,
    actor: User,
    demonstration: DemonstrationSchool,
    name: str,
    due_on: datetime.date,
    done_on: datetime.date | None = None,
    evidence: str = "",
) -> Milestone:
    """Add a construction milestone to a demonstration school."""
    milestone = Milestone(
        demonstration=demonstration,
        name=name.strip(),
        due_on=due_on,
        done_on=done_on,
        evidence=evidence.strip(),
    )
    return _save_new(milestone, actor=actor, action="milestone.create", fields=MILESTONE_FIELDS)


@transaction.atomic
def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    name: str,
    due_on: datetime.date,
    done_on: datetime.date | None,
    evidence: str,
) -> Milestone:
    """Change a milestone, or mark it done (a done date needs an evidence note)."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    return _save_changed(
        milestone,
        actor=actor,
        action="milestone.update",
        fields=MILESTONE_FIELDS,
        changes={"name": name.strip(), "due_on": due_on, "done_on": done_on, "evidence": evidence.strip()},
    )


def _practice_fields(host_name: str, host_uscc: str, content: str) -> dict:
    return {
        "host_name": host_name.strip(),
        "host_uscc": normalise_uscc(host_uscc) if (host_uscc or "").strip() else "",
        "content": (content or "").strip(),
    }


@transaction.atomic
def practice_create(
    *,
    actor: User,
    teacher: Teacher,
    host_name: str,
    start_on: datetime.date,
    end_on: datetime.date,
    days: int,
    host_uscc: str = "",
    content: str = "",
) -> EnterprisePractice:
    """Record a teacher's period of enterprise practice."""
    practice = EnterprisePractice(
        teacher=teacher,
        start_on=start_on,
        end_on=end_on,
        days=days,
        **_practice_fields(host_name, host_uscc, content),
    )
    return _save_new(practice, actor=actor, action="practice.create", fields=PRACTICE_FIELDS)


@transaction.atomic
def practice_update(
    *,
    actor: User,
    practice: EnterprisePractice,
    host_name: str,
    start_on: datetime.date,
    end_on: datetime.date,
    days: int,
    host_uscc: str = "",
    content: str = "",
) -> EnterprisePractice:
    practice = EnterprisePractice.objects.select_for_update().get(pk=practice.pk)
    return _save_changed(
        practice,
        actor=actor,
        action="practice.update",
        fields=PRACTICE_FIELDS,
        changes={
            "start_on": start_on,
            "end_on": end_on,
            "days": days,
            **_practice_fields(host_name, host_uscc, content),
        },
    )


@transaction.atomic
def schoolyear_create(
    *,
    actor: User,
    school: Organisation,
    year: int,
    training_sessions: int = 0,
    training_trainees: int = 0,
    training_income: Decimal = Decimal("0"),
    graduates: int = 0,
    graduates_certified: int = 0,
) -> SchoolYear:
    """Report a school's social training and graduates for a year (once per school and year)."""
    if SchoolYear.objects.filter(school=school, year=year).exists():
        raise ValidationError({"year": "%s%d年的数据已登记，请编辑原记录" % (school.name, year)})
    row = SchoolYear(
        school=school,
        year=year,
        training_sessions=training_sessions,
        training_trainees=training_trainees,
        training_income=training_income,
        graduates=graduates,
        graduates_certified=graduates_certified,
    )
    return _save_new(row, actor=actor, action="schoolyear.create", fields=SCHOOLYEAR_FIELDS)


@transaction.atomic
def schoolyear_update(*, actor: User, schoolyear: SchoolYear, **figures) -> SchoolYear:
    """Correct a year's figures (the school and year stay)."""
    row = SchoolYear.objects.select_for_update().get(pk=schoolyear.pk)
    allowed = set(SCHOOLYEAR_FIELDS) - {"school_id", "year"}
    unknown = set(figures) - allowed
    if unknown:
        raise TypeError("schoolyear_update: unknown fields %s" % sorted(unknown))
    return _save_changed(
        row, actor=actor, action="schoolyear.update", fields=SCHOOLYEAR_FIELDS, changes=figures
    )
