"""Deadlines, reminders and 督办; the report's workflow (补正 goes back to the reviewer)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.choices import Role
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.plan.choices import ReportStatus, SupervisionKind, SupervisionStatus, TaskState
from gongjiang.plan.models import ProgressReport, Supervision
from gongjiang.plan.selectors import task_state, tasks_with_state
from gongjiang.plan.services import plan_daily, report_due, report_review, report_submit, supervision_step
from gongjiang.workflow.models import Notification

from .factories import make_task

pytestmark = pytest.mark.django_db

# The fourth quarter of 2026 is due on 2027-01-15 (the 15th of the month after the quarter).
DUE = datetime.date(2027, 1, 15)


def test_quarter_deadlines_are_the_fifteenth_after_the_quarter():
    assert report_due(2026, 1) == datetime.date(2026, 4, 15)
    assert report_due(2026, 3) == datetime.date(2026, 10, 15)
    assert report_due(2026, 4) == DUE


def test_creating_a_task_opens_the_quarters_report_for_the_owner(personas):
    task = make_task(personas.city, owner=personas.department_org)
    report = ProgressReport.objects.get(task=task)
    assert (report.year, report.quarter, report.report_due, report.status) == (2026, 4, DUE, ReportStatus.DUE)
    assert report.department == personas.department_org


def test_an_unsubmitted_report_is_overdue_the_day_after_and_raises_exactly_one_notice(personas):
    task = make_task(personas.city, owner=personas.department_org, milestones={})
    report = ProgressReport.objects.get(task=task)
    on_the_day = plan_daily(DUE)
    assert on_the_day["overdue_reports"] == 0
    assert not Supervision.objects.exists()
    report.refresh_from_db()
    assert not report.is_late(DUE)
    assert task_state(task, DUE) == TaskState.ON_TRACK

    next_day = DUE + datetime.timedelta(days=1)
    assert plan_daily(next_day)["overdue_reports"] == 1
    notice = Supervision.objects.get()
    assert (notice.kind, notice.report, notice.department, notice.status) == (
        SupervisionKind.OVERDUE_REPORT,
        report,
        personas.department_org,
        SupervisionStatus.OPEN,
    )
    assert notice.due_on == next_day + datetime.timedelta(days=10)  # its own deadline
    assert Notification.objects.filter(user=personas.department, text__startswith="督办").count() == 1
    assert Notification.objects.filter(user=personas.city, text__startswith="督办").count() == 1
    [task] = tasks_with_state(user=personas.city, today=next_day)
    assert task.state == TaskState.OVERDUE

    # running again, that day or later, raises nothing new
    assert plan_daily(next_day)["overdue_reports"] == 0
    assert plan_daily(next_day + datetime.timedelta(days=3))["overdue_reports"] == 0
    assert Supervision.objects.count() == 1
    assert Notification.objects.filter(user=personas.department, text__startswith="督办").count() == 1


def test_a_reminder_goes_out_once_within_seven_days_of_the_deadline(personas):
    make_task(personas.city, owner=personas.department_org, milestones={})
    assert plan_daily(DUE - datetime.timedelta(days=8))["reminded"] == 0
    assert plan_daily(DUE - datetime.timedelta(days=7))["reminded"] == 1
    assert plan_daily(DUE - datetime.timedelta(days=6))["reminded"] == 0
    reminders = Notification.objects.filter(user=personas.department, text__startswith="提醒")
    assert reminders.count() == 1
    assert "2027-01-15" in reminders.get().text


def test_a_milestone_not_met_by_its_date_raises_one_notice(personas):
    make_task(personas.city, owner=personas.department_org, milestones={2026: ("比例达到80%", None)})
    assert plan_daily(datetime.date(2026, 12, 31))["lagging_milestones"] == 0
    assert plan_daily(datetime.date(2027, 1, 1))["lagging_milestones"] == 1
    assert plan_daily(datetime.date(2027, 1, 2))["lagging_milestones"] == 0
    assert Supervision.objects.get().kind == SupervisionKind.LAGGING_MILESTONE


def test_a_returned_report_resubmitted_goes_back_to_the_reviewer_and_accepting_meets_its_milestone(personas):
    task = make_task(personas.city, owner=personas.department_org)
    milestone = task.milestones.get()
    report = ProgressReport.objects.get(task=task)
    report = report_submit(actor=personas.department, report=report, text="已组织教师参加认定", figure=82)
    assert report.status == ReportStatus.SUBMITTED
    report = report_review(actor=personas.city, report=report, action="return", reason="请补充认定名单")
    assert (report.status, report.returned_from, report.status_reason) == (
        ReportStatus.RETURNED,
        ReportStatus.SUBMITTED,
        "请补充认定名单",
    )
    assert Notification.objects.filter(user=personas.department, text__contains="退回补正").exists()
    report = report_submit(
        actor=personas.department, report=report, text="已补充名单", figure=83, milestone=milestone
    )
    assert report.status == ReportStatus.SUBMITTED  # back to the city's review
    assert report.returned_from == ""
    report = report_review(actor=personas.city, report=report, action="accept")
    assert report.status == ReportStatus.ACCEPTED
    milestone.refresh_from_db()
    assert milestone.met_on is not None and milestone.actual_value == 83
    actions = list(report.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["submit", "return", "resubmit", "accept"]


def test_the_submitter_cannot_accept_their_own_report(personas):
    task = make_task(personas.city, owner=personas.department_org)
    report = report_submit(
        actor=personas.department, report=ProgressReport.objects.get(task=task), text="进展", figure=None
    )
    with pytest.raises(ValidationError):
        report_review(actor=personas.department, report=report, action="accept")


def test_a_department_replies_to_a_notice_and_the_city_closes_it(personas):
    make_task(personas.city, owner=personas.department_org, milestones={})
    plan_daily(DUE + datetime.timedelta(days=1))
    notice = Supervision.objects.get()
    notice = supervision_step(
        actor=personas.department, supervision=notice, action="reply", reason="已于本周报送"
    )
    assert notice.status == SupervisionStatus.REPLIED and notice.reply == "已于本周报送"
    other = UserFactory(username="other-city", role=Role.CITY_ADMIN)
    notice = supervision_step(actor=other, supervision=notice, action="close")
    assert notice.status == SupervisionStatus.CLOSED
