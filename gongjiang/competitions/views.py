"""Pages of competitions: thin views over selectors and services. The honours registry is handed
to the publication here (an interface may read any app; docs/decisions/022)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongjiang.accounts.scope import may
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.forms import apply_validation_error
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page
from gongjiang.honours.selectors import honour_titles
from gongjiang.honours.services import COMPETITION_TITLES
from gongjiang.talents.models import Person

from .choices import ResultStatus
from .filters import AwardRuleFilterSet, CompetitionFilterSet, ResultFilterSet
from .forms import AwardRuleForm, CompetitionForm, EventForm, ResultForm
from .models import AwardRule, Competition, Event, Result
from .selectors import award_rule_list, competition_list, event_list, result_list
from .services import (
    award_rule_save,
    competition_create,
    event_create,
    event_publish,
    result_record,
    result_withdraw,
)
from .tables import AwardRuleTable, CompetitionTable, ResultTable


class CompetitionsListView(ObjectListView):
    template_name = "competitions/list.html"


class CompetitionListView(CompetitionsListView):
    title = "技能竞赛"
    table_class = CompetitionTable
    filterset_class = CompetitionFilterSet
    view_permission = "competitions.view_competition"
    create_url_name = "competitions:competition_create"
    create_permission = "competitions.add_competition"
    selector = staticmethod(competition_list)
    extra_actions = (("导入竞赛成绩", "jobs:import_start", "competitions.change_event"),)


class ResultListView(CompetitionsListView):
    title = "竞赛成绩"
    table_class = ResultTable
    filterset_class = ResultFilterSet
    view_permission = "competitions.view_result"
    export_permission = "competitions.export_result"
    export_name = "竞赛成绩"
    selector = staticmethod(result_list)


def _title_names() -> dict[str, str]:
    return dict(honour_titles().values_list("code", "name"))


class AwardRuleListView(CompetitionsListView):
    title = "竞赛奖励规则"
    table_class = AwardRuleTable
    filterset_class = AwardRuleFilterSet
    view_permission = "competitions.view_awardrule"
    create_url_name = "competitions:awardrule_create"
    create_permission = "competitions.add_awardrule"
    selector = staticmethod(award_rule_list)

    def get_table_kwargs(self):
        kwargs = {"titles": _title_names()}
        if not self.request.user.has_perm("competitions.change_awardrule"):
            kwargs["exclude"] = ("edit",)
        return kwargs


def _title_choices() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in honour_titles().filter(by_competition=True)]


@login_required
@permission_required("competitions.add_awardrule", raise_exception=True)
def awardrule_create(request):
    return form_page(
        request,
        AwardRuleForm(request.POST or None, titles=_title_choices()),
        title="新增竞赛奖励规则",
        cancel="competitions:awardrule_list",
        save=lambda form: award_rule_save(actor=request.user, rule=form.save(commit=False)),
        done=lambda rule: reverse("competitions:awardrule_list"),
    )


@login_required
def awardrule_update(request, pk: int):
    rule = get_scoped_or_404(AwardRule.objects.all(), request.user, "change", pk=pk)
    return form_page(
        request,
        AwardRuleForm(request.POST or None, instance=rule, titles=_title_choices()),
        title="修改竞赛奖励规则：%s" % rule,
        cancel="competitions:awardrule_list",
        save=lambda form: award_rule_save(actor=request.user, rule=form.save(commit=False)),
        done=lambda saved: reverse("competitions:awardrule_list"),
    )


@login_required
@permission_required("competitions.add_competition", raise_exception=True)
def competition_create_view(request):
    return form_page(
        request,
        CompetitionForm(request.POST or None),
        title="登记技能竞赛",
        cancel="competitions:competition_list",
        save=lambda form: competition_create(actor=request.user, competition=form.save(commit=False)),
        done=lambda competition: reverse("competitions:competition_detail", args=[competition.pk]),
    )


@login_required
def competition_detail(request, pk: int):
    competition = get_scoped_or_404(Competition.objects.all(), request.user, "view", pk=pk)
    context = {
        "competition": competition,
        "events": event_list(user=request.user, competition=competition),
        "can_add_event": bool(may(request.user, competition, "change"))
        and request.user.has_perm("competitions.add_event"),
        "title": competition.name,
    }
    return render(request, "competitions/competition_detail.html", context)


@login_required
def event_create_view(request, pk: int):
    competition = get_scoped_or_404(Competition.objects.all(), request.user, "change", pk=pk)
    if not request.user.has_perm("competitions.add_event"):
        return redirect("competitions:competition_detail", pk=pk)

    def save(form):
        event = form.save(commit=False)
        event.competition = competition
        return event_create(actor=request.user, event=event)

    return form_page(
        request,
        EventForm(request.POST or None),
        title="新增比赛项目：%s" % competition.name,
        cancel="competitions:competition_list",
        save=save,
        done=lambda event: reverse("competitions:event_detail", args=[event.pk]),
    )


def _event_page(request, event: Event, form=None, status: int = 200):
    results = list(
        Result.objects.filter(event=event).select_related("person", "certificate").order_by("rank", "id")
    )
    allowed = may(request.user, event, "change", "publish")
    visible = set(
        Person.objects.for_user(request.user)
        .filter(pk__in=[r.person_id for r in results])
        .values_list("pk", flat=True)
    )
    context = {
        "event": event,
        "competition": event.competition,
        "results": results,
        "visible_persons": visible,
        "can_record": "change" in allowed,
        "can_publish": "publish" in allowed,
        "pending": sum(1 for r in results if r.status == ResultStatus.RECORDED),
        "form": form or ResultForm(user=request.user),
        "title": str(event),
    }
    return render(request, "competitions/event_detail.html", context, status=status)


@login_required
def event_detail(request, pk: int):
    event = get_scoped_or_404(
        Event.objects.select_related("competition", "occupation", "level"), request.user, "view", pk=pk
    )
    return _event_page(request, event)


@login_required
@require_POST
def result_record_view(request, pk: int):
    event = get_scoped_or_404(Event.objects.select_related("competition"), request.user, "change", pk=pk)
    form = ResultForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            result_record(
                actor=request.user,
                event=event,
                person=form.cleaned_data["id_number"],
                award=form.cleaned_data["award"],
                rank=form.cleaned_data["rank"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "成绩已录入，公布后生效")
            return redirect("competitions:event_detail", pk=pk)
    return _event_page(request, event, form=form, status=422)


@login_required
@require_POST
def event_publish_view(request, pk: int):
    event = get_scoped_or_404(Event.objects.all(), request.user, "publish", pk=pk)
    try:
        outcome = event_publish(actor=request.user, event=event, titles=COMPETITION_TITLES)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            "已公布%(n)d条成绩：授予称号%(t)d项，颁发晋升证书%(p)d张"
            % {"n": outcome.published, "t": outcome.titles, "p": outcome.promotions},
        )
    return redirect("competitions:event_detail", pk=pk)


@login_required
@require_POST
def result_withdraw_view(request, pk: int):
    result = get_scoped_or_404(Result.objects.select_related("event"), request.user, "withdraw", pk=pk)
    try:
        result_withdraw(
            actor=request.user,
            result=result,
            reason=request.POST.get("reason", ""),
            titles=COMPETITION_TITLES,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "成绩已撤回，晋升证书和荣誉称号已撤销")
    return redirect("competitions:event_detail", pk=result.event_id)
