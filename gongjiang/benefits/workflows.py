"""The entitlement's workflow (免申即享 offers), declared for the one mechanism: the talent (or the
employer for its staff) confirms the bank account and consent, the county verifies, then it is
payable; a county may return it for 补正 (a wrong account) and the city may stop it."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.workflow.base import RESUBMIT, Transition, Workflow, register
from gongjiang.workflow.models import step_days

from .choices import ApplicationStatus
from .choices import EntitlementStatus as E
from .models import BenefitApplication, Entitlement

ENTITLEMENT_WORKFLOW = register(
    Workflow(
        key="entitlement",
        label="人才待遇",
        model=Entitlement,
        states=E,
        submitter="confirmed_by",
        owner_org="person__employer_id",
        owner_user="person__user",
        waiting={E.OFFERED: "确认待遇", E.CONFIRMED: "核实待遇"},
        deadline_days=lambda entitlement, state: step_days("entitlement", state),
        self_review_message="确认人不能核实本人确认的待遇，请由其他人员办理",
        reason_field="status_reason",
        title=lambda e: "%s · %s" % (e.policy.name, e.person.name),
        detail_url=lambda e: reverse("benefits:entitlement_detail", args=[e.pk]),
        select_related=("policy", "person", "level"),
        transitions=[
            Transition(
                "confirm",
                "确认银行账户并同意",
                (E.OFFERED,),
                E.CONFIRMED,
                permission="confirm",
                refusal="只有待确认的待遇可以确认",
                attachments=True,
            ),
            Transition(
                "decline",
                "放弃",
                (E.OFFERED,),
                E.DECLINED,
                permission="confirm",
                refusal="只有待确认的待遇可以放弃",
                reason="放弃原因",
            ),
            Transition(
                "verify",
                "核实通过",
                (E.CONFIRMED,),
                E.PAYABLE,
                permission="verify",
                refusal="只有已确认的待遇可以核实",
                review=True,
            ),
            Transition(
                "return",
                "退回补正",
                (E.CONFIRMED,),
                E.OFFERED,
                permission="verify",
                refusal="只有已确认的待遇可以退回补正",
                reason="需要补正的内容",
                review=True,
                returns=True,
            ),
            Transition(
                "stop",
                "停发",
                (E.OFFERED, E.CONFIRMED, E.PAYABLE),
                E.STOPPED,
                permission="stop",
                refusal="只有尚未停发或放弃的待遇可以停发",
                reason="停发原因",
            ),
        ],
    )
)


A = ApplicationStatus


def _reviewer(application: BenefitApplication) -> str:
    """Who returns an application depends on the step it is at."""
    return {
        A.EMPLOYER_REVIEW: "confirm_employment",
        A.COUNTY_REVIEW: "review",
    }.get(application.status, "approve")


APPLICATION_WORKFLOW = register(
    Workflow(
        key="benefit_application",
        label="待遇申请",
        model=BenefitApplication,
        states=A,
        submitter="submitted_by",
        owner_org="person__employer_id",
        owner_user="person__user",
        waiting={
            A.EMPLOYER_REVIEW: "确认申请人工作单位",
            A.COUNTY_REVIEW: "县区审核待遇申请",
            A.CITY_REVIEW: "市级审批待遇申请",
            A.RETURNED: "补正后重新提交",
        },
        deadline_days=lambda application, state: step_days("benefit_application", state),
        self_review_message="申请人不能审核本人提交的申请，请由其他人员办理",
        reason_field="status_reason",
        title=lambda a: "%s · %s" % (a.policy.name, a.person.name),
        detail_url=lambda a: reverse("benefits:application_detail", args=[a.pk]),
        select_related=("policy", "person", "level"),
        transitions=[
            Transition(
                "employer_confirm",
                "单位确认在职",
                (A.EMPLOYER_REVIEW,),
                A.COUNTY_REVIEW,
                permission="confirm_employment",
                refusal="只有待单位确认的申请可以确认",
                review=True,
            ),
            Transition(
                "county_pass",
                "县区审核通过",
                (A.COUNTY_REVIEW,),
                A.CITY_REVIEW,
                permission="review",
                refusal="只有待县区审核的申请可以审核通过",
                review=True,
            ),
            Transition(
                "approve",
                "市级审批通过",
                (A.CITY_REVIEW,),
                A.APPROVED,
                permission="approve",
                refusal="只有待市级审批的申请可以批准",
                review=True,
            ),
            Transition(
                "return",
                "退回补正",
                (A.EMPLOYER_REVIEW, A.COUNTY_REVIEW, A.CITY_REVIEW),
                A.RETURNED,
                permission=_reviewer,
                refusal="只有审核中的申请可以退回补正",
                reason="需要补正的内容",
                review=True,
                returns=True,
                attachments=True,
            ),
            Transition(
                "reject",
                "不予通过",
                (A.COUNTY_REVIEW, A.CITY_REVIEW),
                A.REJECTED,
                permission=_reviewer,
                refusal="只有县区或市级审核中的申请可以不予通过",
                reason="不予通过的理由",
                review=True,
            ),
            Transition(
                "resubmit",
                "补正后重新提交",
                (A.RETURNED,),
                RESUBMIT,
                permission="change",
                refusal="只有退回补正的申请可以重新提交",
                attachments=True,
            ),
        ],
    )
)
