"""The entitlement's workflow (免申即享 offers), declared for the one mechanism: the talent (or the
employer for its staff) confirms the bank account and consent, the county verifies, then it is
payable; a county may return it for 补正 (a wrong account) and the city may stop it."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.workflow.base import Transition, Workflow, register
from gongjiang.workflow.models import step_days

from .choices import EntitlementStatus as E
from .models import Entitlement

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
