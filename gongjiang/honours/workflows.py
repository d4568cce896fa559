"""The nomination's workflow, declared for the one mechanism (gongjiang.workflow).

submitted ──► publicity (公示; objections recorded) ──► selected
   │  ▲                 └──────────────────────────────► not_selected
   ▼  │ resubmit
 returned          submitted ──► not_selected
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gongjiang.workflow.base import RESUBMIT, Transition, Workflow, register
from gongjiang.workflow.models import step_days

from .choices import NominationStatus as S
from .models import Nomination, SelectionRound


def _publicity_over(nomination: Nomination) -> str:
    end = nomination.round.publicity_end
    if timezone.localdate() <= end:
        return "公示期至%s，公示结束后才能确定入选" % end.isoformat()
    return ""


def _in_publicity(nomination: Nomination) -> str:
    end = nomination.round.publicity_end
    if timezone.localdate() > end:
        return "公示期已于%s结束，不能再记录异议" % end.isoformat()
    return ""


def _quota_left(nomination: Nomination) -> str:
    # The round is locked so two decisions at once cannot both take the last place.
    rnd = SelectionRound.objects.select_for_update().get(pk=nomination.round_id)
    taken = Nomination.objects.filter(round=rnd, status=S.SELECTED).count()
    if taken >= rnd.quota:
        return "本轮名额已满（%d名），不能再确定入选" % rnd.quota
    return ""


NOMINATION_WORKFLOW = register(
    Workflow(
        key="nomination",
        label="表彰和人才项目推荐",
        model=Nomination,
        states=S,
        submitter="submitted_by",
        owner_org="nominating_org_id",
        waiting={S.SUBMITTED: "市级审核", S.RETURNED: "补正后重新提交", S.PUBLICITY: "公示后决定"},
        deadline_days=lambda nomination, state: step_days("nomination", state),
        self_review_message="推荐人不能审核本人提交的推荐，请由其他人员办理",
        title=lambda nomination: str(nomination),
        detail_url=lambda nomination: reverse("honours:nomination_detail", args=[nomination.pk]),
        select_related=("person", "round"),
        transitions=[
            Transition(
                "resubmit",
                "补正后重新提交",
                (S.RETURNED,),
                RESUBMIT,
                permission="change",
                refusal="只有退回补正的推荐可以重新提交",
                attachments=True,
            ),
            Transition(
                "return",
                "退回补正",
                (S.SUBMITTED,),
                S.RETURNED,
                permission="decide",
                refusal="只有待审核的推荐可以退回补正",
                reason="需要补正的内容",
                reason_message="退回补正须写明需要补正的内容",
                review=True,
                returns=True,
            ),
            Transition(
                "shortlist",
                "审核通过，列入公示",
                (S.SUBMITTED,),
                S.PUBLICITY,
                permission="decide",
                refusal="只有待审核的推荐可以列入公示",
                review=True,
            ),
            Transition(
                "object",
                "记录公示异议",
                (S.PUBLICITY,),
                None,
                permission="decide",
                refusal="只有公示中的推荐可以记录异议",
                reason="异议内容",
                reason_message="请填写异议内容",
                conditions=(_in_publicity,),
            ),
            Transition(
                "select",
                "确定入选",
                (S.PUBLICITY,),
                S.SELECTED,
                permission="decide",
                refusal="只有公示中的推荐可以确定入选",
                review=True,
                conditions=(_publicity_over, _quota_left),
            ),
            Transition(
                "reject",
                "不予入选",
                (S.SUBMITTED, S.PUBLICITY),
                S.NOT_SELECTED,
                permission="decide",
                refusal="只有审核中或公示中的推荐可以不予入选",
                reason="不予入选的理由",
                reason_message="不予入选须写明理由",
                review=True,
            ),
        ],
    )
)
