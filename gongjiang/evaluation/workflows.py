"""The workflows of skill evaluation, declared as data for the one mechanism (gongjiang.workflow):
filings (备案) approved by the city, batches whose results the city reviews, and appointments
(评聘) the city records. Deadlines of the waiting steps are ``workflow.StepDeadline`` rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongjiang.workflow.base import Transition, Workflow, register
from gongjiang.workflow.models import step_days

from .choices import AppointmentStatus, BatchStatus, FilingStatus
from .models import Appointment, Batch, Filing


def _filing_in_period(filing: Filing) -> str:
    if filing.valid_to < timezone.localdate():
        return "备案有效期已于%s结束，不能审核通过" % filing.valid_to
    return ""


F = FilingStatus
FILING_WORKFLOW = register(
    Workflow(
        key="filing",
        label="评价机构备案",
        model=Filing,
        states=F,
        submitter="submitted_by",
        owner_org="organisation_id",
        waiting={F.SUBMITTED: "备案审核", F.REJECTED: "补正后重新提交"},
        deadline_days=lambda filing, state: step_days("filing", state),
        self_review_message="提交人不能审核自己提交的备案，请由另一位市级管理员审核",
        note_key="reason",
        reason_field="status_reason",
        title=str,
        detail_url=lambda filing: reverse("evaluation:filing_detail", args=[filing.pk]),
        select_related=("organisation",),
        transitions=[
            Transition(
                "update",
                "修改后重新提交",
                (F.SUBMITTED, F.REJECTED),
                F.SUBMITTED,
                permission="change",
                refusal="只有待审核或已退回的备案可以修改",
            ),
            Transition(
                "approve",
                "审核通过",
                (F.SUBMITTED,),
                F.APPROVED,
                permission="approve",
                refusal="只有待审核的备案可以审核通过",
                review=True,
                conditions=(_filing_in_period,),
            ),
            Transition(
                "reject",
                "退回",
                (F.SUBMITTED,),
                F.REJECTED,
                permission="approve",
                refusal="只有待审核的备案可以退回",
                reason="退回原因",
                returns=True,
            ),
            Transition(
                "suspend",
                "暂停",
                (F.APPROVED,),
                F.SUSPENDED,
                permission="approve",
                refusal="只有已备案的机构可以暂停",
                reason="暂停原因",
            ),
            Transition(
                "resume",
                "恢复",
                (F.SUSPENDED,),
                F.APPROVED,
                permission="approve",
                refusal="只有已暂停的备案可以恢复",
            ),
            Transition(
                "withdraw",
                "撤销备案",
                (F.APPROVED, F.SUSPENDED),
                F.WITHDRAWN,
                permission="approve",
                refusal="只有已备案或已暂停的备案可以撤销",
                reason="撤销原因",
            ),
        ],
    )
)

B = BatchStatus
BATCH_WORKFLOW = register(
    Workflow(
        key="batch",
        label="认定批次",
        model=Batch,
        states=B,
        submitter="planned_by",
        owner_org="filing__organisation_id",
        waiting={B.REPORTED: "认定结果审核", B.RETURNED: "补正后重新上报"},
        deadline_days=lambda batch, state: step_days("batch", state),
        note_key="reason",
        reason_field="status_reason",
        title=str,
        detail_url=lambda batch: reverse("evaluation:batch_detail", args=[batch.pk]),
        select_related=("filing__organisation",),
        transitions=[
            Transition(
                "report",
                "上报结果",
                (B.PLANNED, B.RETURNED),
                B.REPORTED,
                permission="change",
                refusal="只有计划中或退回补正的批次可以上报结果",
            ),
            Transition(
                "return",
                "退回补正",
                (B.REPORTED,),
                B.RETURNED,
                permission="review",
                refusal="只有已上报的结果可以退回补正",
                reason="退回原因",
                review=True,
                returns=True,
            ),
            Transition(
                "publish",
                "审核通过并公布发证",
                (B.REPORTED,),
                B.PUBLISHED,
                permission="review",
                refusal="只有已上报的结果可以公布发证",
                review=True,
            ),
            Transition(
                "cancel",
                "取消批次",
                (B.PLANNED,),
                B.CANCELLED,
                permission="change",
                refusal="只有计划中的批次可以取消",
                reason="取消原因",
            ),
        ],
    )
)

A = AppointmentStatus
APPOINTMENT_WORKFLOW = register(
    Workflow(
        key="appointment",
        label="特级技师首席技师评聘",
        model=Appointment,
        states=A,
        submitter="submitted_by",
        owner_org="organisation_id",
        waiting={A.SUBMITTED: "评聘备案"},
        deadline_days=lambda appointment, state: step_days("appointment", state),
        note_key="reason",
        reason_field="status_reason",
        title=str,
        detail_url=lambda appointment: reverse("evaluation:appointment_detail", args=[appointment.pk]),
        select_related=("person", "level", "organisation"),
        transitions=[
            Transition(
                "confirm",
                "备案并发证",
                (A.SUBMITTED,),
                A.CONFIRMED,
                permission="confirm",
                refusal="只有待备案的评聘可以备案",
                review=True,
            ),
            Transition(
                "return",
                "退回",
                (A.SUBMITTED,),
                A.RETURNED,
                permission="confirm",
                refusal="只有待备案的评聘可以退回",
                reason="退回原因",
                review=True,
            ),
            Transition(
                "end",
                "解聘",
                (A.CONFIRMED,),
                A.ENDED,
                permission="change",
                refusal="只有已备案的聘任可以解聘",
                reason="解聘原因",
            ),
        ],
    )
)
