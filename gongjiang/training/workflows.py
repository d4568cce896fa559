"""The training subsidy claim's workflow, declared for the one mechanism: the county reviews, the
city approves (which grants each eligible line as a payable entitlement); either may return the
claim for 补正 or refuse it."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.workflow.base import RESUBMIT, Transition, Workflow, register
from gongjiang.workflow.models import step_days

from .choices import ClaimStatus as S
from .choices import SharingStatus
from .models import SharingRequest, SubsidyClaim


def _reviewer(claim: SubsidyClaim) -> str:
    """Who returns or refuses a claim depends on the step it is at."""
    return "review" if claim.status == S.COUNTY_REVIEW else "approve"


CLAIM_WORKFLOW = register(
    Workflow(
        key="training_claim",
        label="培训补贴申领",
        model=SubsidyClaim,
        states=S,
        submitter="submitted_by",
        owner_org="claimant_id",
        waiting={
            S.COUNTY_REVIEW: "县区审核培训补贴申领",
            S.CITY_REVIEW: "市级审批培训补贴申领",
            S.RETURNED: "补正后重新提交",
        },
        deadline_days=lambda claim, state: step_days("training_claim", state),
        self_review_message="申领人不能审核本单位本人提交的申领，请由其他人员办理",
        reason_field="status_reason",
        title=lambda c: "%s · %s" % (c.get_kind_display(), c.course.name),
        detail_url=lambda c: reverse("training:claim_detail", args=[c.pk]),
        select_related=("course",),
        transitions=[
            Transition(
                "county_pass",
                "县区审核通过",
                (S.COUNTY_REVIEW,),
                S.CITY_REVIEW,
                permission="review",
                refusal="只有待县区审核的申领可以审核通过",
                review=True,
            ),
            Transition(
                "approve",
                "市级审批通过",
                (S.CITY_REVIEW,),
                S.APPROVED,
                permission="approve",
                refusal="只有待市级审批的申领可以批准",
                review=True,
            ),
            Transition(
                "return",
                "退回补正",
                (S.COUNTY_REVIEW, S.CITY_REVIEW),
                S.RETURNED,
                permission=_reviewer,
                refusal="只有审核中的申领可以退回补正",
                reason="需要补正的内容",
                review=True,
                returns=True,
                attachments=True,
            ),
            Transition(
                "reject",
                "不予通过",
                (S.COUNTY_REVIEW, S.CITY_REVIEW),
                S.REJECTED,
                permission=_reviewer,
                refusal="只有审核中的申领可以不予通过",
                reason="不予通过的理由",
                review=True,
            ),
            Transition(
                "resubmit",
                "补正后重新提交",
                (S.RETURNED,),
                RESUBMIT,
                permission="change",
                refusal="只有退回补正的申领可以重新提交",
                attachments=True,
            ),
        ],
    )
)


SHARING_WORKFLOW = register(
    Workflow(
        key="training_sharing",
        label="培训资源共享申请",
        model=SharingRequest,
        states=SharingStatus,
        submitter="submitted_by",
        owner_org="requester_id",
        reviewer_org="provider__organisation_id",
        waiting={SharingStatus.PENDING: "答复培训资源共享申请"},
        deadline_days=lambda request, state: step_days("training_sharing", state),
        self_review_message="申请人不能答复本人提交的共享申请",
        reason_field="status_reason",
        title=str,
        detail_url=lambda r: reverse("training:sharing_detail", args=[r.pk]),
        select_related=("requester", "provider"),
        transitions=[
            Transition(
                "accept",
                "同意共享",
                (SharingStatus.PENDING,),
                SharingStatus.ACCEPTED,
                permission="answer",
                refusal="只有待答复的申请可以同意",
                review=True,
            ),
            Transition(
                "decline",
                "不同意",
                (SharingStatus.PENDING,),
                SharingStatus.DECLINED,
                permission="answer",
                refusal="只有待答复的申请可以不同意",
                reason="不同意的原因",
                review=True,
            ),
            Transition(
                "withdraw",
                "撤回申请",
                (SharingStatus.PENDING,),
                SharingStatus.WITHDRAWN,
                permission="change",
                refusal="只有待答复的申请可以撤回",
            ),
        ],
    )
)
