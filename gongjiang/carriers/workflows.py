"""The carrier declaration's workflow, declared as data for the one mechanism (gongjiang.workflow).

declare ──► county_review ──► city_review ──► recognised ──► revoked
              │    ▲             │    ▲          │  ▲ upgrade (市级→省级→国家级)
              ▼    │ resubmit    ▼    │          └──┘ annual assessment
            returned ◄───────────┘ (back to the step that returned it)
county_review / city_review ──► rejected
"""

from __future__ import annotations

from django.urls import reverse

from gongjiang.workflow.base import RESUBMIT, Transition, Workflow, register

from .choices import CarrierStatus as S
from .models import Carrier
from .selectors import carrier_assessment_todo, rule_for


def _reviewer(carrier: Carrier) -> str:
    """Who returns or rejects depends on the step: the county at county review, the city after."""
    return "review" if carrier.status == S.COUNTY_REVIEW else "recognise"


def _next_city_round(carrier: Carrier) -> None:
    carrier.city_round += 1  # scores of an earlier round judged earlier material


CARRIER_WORKFLOW = register(
    Workflow(
        key="carrier",
        label="培养载体",
        model=Carrier,
        states=S,
        submitter="declared_by",
        owner_org="host_id",
        waiting={S.COUNTY_REVIEW: "县区初审", S.CITY_REVIEW: "市级评审", S.RETURNED: "补正后重新提交"},
        deadline_days=lambda carrier, state: rule_for(carrier.carrier_type_id).days_for(state),
        self_review_message="申报人不能审核本人提交的申报，请由其他人员办理",
        on_enter={S.CITY_REVIEW: _next_city_round},
        title=lambda carrier: carrier.name,
        detail_url=lambda carrier: reverse("carriers:carrier_detail", args=[carrier.pk]),
        select_related=("carrier_type", "host", "region"),
        extra_todo=carrier_assessment_todo,
        transitions=[
            Transition(
                "resubmit",
                "补正后重新提交",
                (S.RETURNED,),
                RESUBMIT,
                permission="change",
                refusal="只有退回补正的申报可以重新提交",
                attachments=True,
            ),
            Transition(
                "county_pass",
                "县区初审通过",
                (S.COUNTY_REVIEW,),
                S.CITY_REVIEW,
                permission="review",
                refusal="只有待县区初审的申报可以初审通过",
                review=True,
            ),
            Transition(
                "return",
                "退回补正",
                (S.COUNTY_REVIEW, S.CITY_REVIEW),
                S.RETURNED,
                permission=_reviewer,
                refusal="只有审核中的申报可以退回补正",
                reason="需要补正的内容",
                reason_message="退回补正须写明需要补正的内容",
                reason_field="note",
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
                refusal="只有审核中的申报可以不予通过",
                reason="不予通过的理由",
                reason_message="不予通过须写明理由",
                reason_field="note",
                review=True,
            ),
            Transition(
                "score",
                "录入专家评分",
                (S.CITY_REVIEW,),
                None,
                permission="recognise",
                refusal="只有待市级评审的载体可以录入专家评分",
            ),
            Transition(
                "recognise",
                "认定",
                (S.CITY_REVIEW,),
                S.RECOGNISED,
                permission="recognise",
                refusal="只有待市级评审的载体可以认定",
                review=True,
            ),
            Transition(
                "assess",
                "年度考核",
                (S.RECOGNISED,),
                None,
                permission="assess",
                refusal="只有已认定的载体可以年度考核",
            ),
            Transition(
                "upgrade",
                "升级",
                (S.RECOGNISED,),
                None,
                permission="upgrade",
                refusal="只有已认定的载体可以升级",
            ),
            Transition(
                "revoke",
                "撤销",
                (S.RECOGNISED,),
                S.REVOKED,
                permission="revoke",
                refusal="只有已认定的载体可以撤销",
                reason="撤销原因",
                reason_message="请填写撤销原因",
            ),
        ],
    )
)
