"""The plan's two workflows on the one mechanism: the quarterly progress report (the owner
department reports, the city accepts or returns it for 补正) and the 督办 notice (the department
replies within its deadline, the city closes it or asks for more)."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.accounts.scope import scope
from gongjiang.workflow.base import RESUBMIT, Transition, Workflow, register
from gongjiang.workflow.models import step_days
from gongjiang.workflow.selectors import TodoItem

from .choices import ReportStatus as R
from .choices import SupervisionStatus as S
from .models import ProgressReport, Supervision


def _reports_due(*, user, today) -> list[TodoItem]:
    """Reports not yet handed in that the user's department owes (the 待报送 state waits on the
    owner, not on a reviewer, so it is listed here rather than through ``waiting``)."""
    rows = scope(ProgressReport.objects.filter(status=R.DUE), user, "change").select_related("task")
    return [
        TodoItem(REPORT_WORKFLOW, r, "报送进展", r.report_due, today) for r in rows.order_by("report_due")
    ]


REPORT_WORKFLOW = register(
    Workflow(
        key="progress_report",
        label="任务进展报告",
        model=ProgressReport,
        states=R,
        submitter="submitted_by",
        owner_org="department_id",
        waiting={R.SUBMITTED: "审核进展报告", R.RETURNED: "补正后重新提交"},
        deadline_days=lambda report, state: step_days("progress_report", state),
        self_review_message="报送人不能审核本人报送的进展，请由其他人员办理",
        reason_field="status_reason",
        title=lambda r: "%s · %s" % (r.task.title, r.period),
        detail_url=lambda r: reverse("plan:report_detail", args=[r.pk]),
        extra_todo=_reports_due,
        select_related=("task",),
        transitions=[
            Transition(
                "submit",
                "报送进展",
                (R.DUE,),
                R.SUBMITTED,
                permission="change",
                refusal="只有待报送的进展报告可以报送",
                attachments=True,
            ),
            Transition(
                "accept",
                "审核采纳",
                (R.SUBMITTED,),
                R.ACCEPTED,
                permission="review",
                refusal="只有待市级审核的进展报告可以采纳",
                review=True,
            ),
            Transition(
                "return",
                "退回补正",
                (R.SUBMITTED,),
                R.RETURNED,
                permission="review",
                refusal="只有待市级审核的进展报告可以退回补正",
                reason="需要补正的内容",
                review=True,
                returns=True,
            ),
            Transition(
                "resubmit",
                "补正后重新报送",
                (R.RETURNED,),
                RESUBMIT,
                permission="change",
                refusal="只有退回补正的进展报告可以重新报送",
                attachments=True,
            ),
        ],
    )
)

SUPERVISION_WORKFLOW = register(
    Workflow(
        key="supervision",
        label="督办",
        model=Supervision,
        states=S,
        submitter="replied_by",
        owner_org="department_id",
        waiting={S.OPEN: "回复督办", S.REPLIED: "核销督办"},
        deadline_days=lambda supervision, state: step_days("supervision", state),
        self_review_message="回复人不能核销本人回复的督办，请由其他人员办理",
        reason_field="status_reason",
        title=lambda s: "督办 · %s" % s.task.title,
        detail_url=lambda s: reverse("plan:supervision_detail", args=[s.pk]),
        select_related=("task",),
        transitions=[
            Transition(
                "reply",
                "回复督办",
                (S.OPEN,),
                S.REPLIED,
                permission="reply",
                refusal="只有待回复的督办可以回复",
                reason="回复内容",
                attachments=True,
            ),
            Transition(
                "close",
                "核销",
                (S.REPLIED,),
                S.CLOSED,
                permission="close",
                refusal="只有已回复的督办可以核销",
                review=True,
            ),
            Transition(
                "return",
                "要求补充回复",
                (S.REPLIED,),
                S.OPEN,
                permission="close",
                refusal="只有已回复的督办可以要求补充",
                reason="需要补充的内容",
                review=True,
                returns=True,
            ),
        ],
    )
)
