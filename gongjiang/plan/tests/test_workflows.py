"""The two workflows as declared, written out literally, and who they wait on in the to-do list."""

import datetime

import pytest

from gongjiang.plan.models import ProgressReport, Supervision
from gongjiang.plan.services import plan_daily, report_review, report_submit
from gongjiang.plan.workflows import REPORT_WORKFLOW, SUPERVISION_WORKFLOW
from gongjiang.workflow.base import RESUBMIT
from gongjiang.workflow.selectors import todo_for

from .factories import make_task

pytestmark = pytest.mark.django_db


def _table(workflow):
    return {
        (t.name, tuple(t.sources), t.target, t.permission, t.review, t.returns)
        for t in workflow.transitions.values()
    }


def test_report_transitions_are_as_written():
    assert _table(REPORT_WORKFLOW) == {
        ("submit", ("due",), "submitted", "change", False, False),
        ("accept", ("submitted",), "accepted", "review", True, False),
        ("return", ("submitted",), "returned", "review", True, True),
        ("resubmit", ("returned",), RESUBMIT, "change", False, False),
    }


def test_supervision_transitions_are_as_written():
    assert _table(SUPERVISION_WORKFLOW) == {
        ("reply", ("open",), "replied", "reply", False, False),
        ("close", ("replied",), "closed", "close", True, False),
        ("return", ("replied",), "open", "close", True, True),
    }


def test_the_todo_list_shows_each_side_what_waits_on_it(personas):
    today = datetime.date(2026, 11, 20)
    task = make_task(personas.city, owner=personas.department_org, today=today, milestones={})
    report = ProgressReport.objects.get(task=task)
    assert [(i.task, i.obj) for i in todo_for(user=personas.department, today=today)] == [
        ("报送进展", report)
    ]
    assert todo_for(user=personas.city, today=today) == []
    report = report_submit(actor=personas.department, report=report, text="进展")
    assert [(i.task, i.obj) for i in todo_for(user=personas.city, today=today)] == [("审核进展报告", report)]
    assert todo_for(user=personas.department, today=today) == []
    report_review(actor=personas.city, report=report, action="return", reason="请补充数据")
    assert [i.task for i in todo_for(user=personas.department, today=today)] == ["补正后重新提交"]
    assert todo_for(user=personas.haizhou, today=today) == []  # counties read, never act


def test_a_notice_waits_on_the_department_then_on_the_city(personas):
    make_task(personas.city, owner=personas.department_org, milestones={})
    plan_daily(datetime.date(2027, 1, 16))
    notice = Supervision.objects.get()
    day = datetime.date(2027, 1, 17)
    assert [
        i.obj for i in todo_for(user=personas.department, today=day) if i.workflow.key == "supervision"
    ] == [notice]
