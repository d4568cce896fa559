"""The correction request's workflow (申请更正), declared for the one mechanism (gongjiang.workflow).

submitted ──accept──► accepted (the change is applied through the talents services)
   │  ▲
   │  └──resubmit── returned (补正: the talent adds what was asked for)
   ├──return──► returned
   └──reject──► rejected
"""

from __future__ import annotations

from django.urls import reverse

from gongjiang.workflow.base import RESUBMIT, Transition, Workflow, register
from gongjiang.workflow.models import step_days

from .choices import CorrectionStatus as S
from .models import Correction

CORRECTION_WORKFLOW = register(
    Workflow(
        key="correction",
        label="更正申请",
        model=Correction,
        states=S,
        submitter="submitted_by",
        waiting={S.SUBMITTED: "审核更正申请", S.RETURNED: "补正后重新提交"},
        deadline_days=lambda correction, state: step_days("correction", state),
        self_review_message="申请人不能审核本人提交的更正申请",
        reason_field="decision_note",
        title=lambda correction: (
            "%s的更正申请（%s）" % (correction.person.name, correction.get_kind_display())
        ),
        detail_url=lambda correction: reverse("portal:correction_detail", args=[correction.pk]),
        select_related=("person",),
        transitions=[
            Transition(
                "accept",
                "同意更正",
                (S.SUBMITTED,),
                S.ACCEPTED,
                permission="review",
                refusal="只有待审核的更正申请可以同意",
                review=True,
            ),
            Transition(
                "return",
                "退回补正",
                (S.SUBMITTED,),
                S.RETURNED,
                permission="review",
                refusal="只有待审核的更正申请可以退回补正",
                reason="需要补正的内容",
                reason_message="退回补正须写明需要补正的内容",
                reason_field="note",
                review=True,
                returns=True,
            ),
            Transition(
                "reject",
                "不予更正",
                (S.SUBMITTED,),
                S.REJECTED,
                permission="review",
                refusal="只有待审核的更正申请可以不予更正",
                reason="不予更正的理由",
                reason_message="不予更正须写明理由",
                reason_field="note",
                review=True,
            ),
            Transition(
                "resubmit",
                "补正后重新提交",
                (S.RETURNED,),
                RESUBMIT,
                permission="change",
                refusal="只有退回补正的更正申请可以重新提交",
                attachments=True,
            ),
        ],
    )
)
