"""Demo data of the plan (seed_demo): the ten measures and their departments from the policy text,
a few tasks with yearly milestones, a quarter of progress reports in every state, 督办 from the
daily check, and the year's budgets and spending. Deterministic; run once (skipped when tasks
exist)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.core import policy
from gongjiang.orgs.models import Organisation

from .models import FundingSource, Measure, ProgressReport, Task
from .policytext import department_names
from .services import (
    budget_set,
    measures_load,
    plan_daily,
    quarter_of,
    report_due,
    report_review,
    report_submit,
    spending_add,
    task_create,
)

# (measure, owner, supporting, title, indicator, target, target value, evidence, {year: (milestone, value)})
TASKS = [
    (
        2,
        "市教育局",
        ["市人社局", "市财政局"],
        "专业课教师高级证书比例达到90%以上",
        "teacher_share",
        "专业课教师和实习指导教师高级工及以上证书比例≥90%",
        "0.9",
        "教师名册、证书清单",
        {2026: ("比例达到80%", "0.80"), 2027: ("比例达到83%", "0.83"), 2028: ("比例达到86%", "0.86"),
         2029: ("比例达到88%", "0.88"), 2030: ("比例达到90%", "0.90")},
    ),
    (
        2,
        "市教育局",
        ["市人社局"],
        "重点扶持2所职业学校建成高水平示范性学校",
        "demonstration_schools",
        "建成高水平示范性职业学校2所",
        "2",
        "遴选文件、建设方案、验收材料",
        {2026: ("确定2所重点扶持学校", None), 2028: ("通过中期评估", None), 2030: ("建成并通过验收", "2")},
    ),
    (
        4,
        "市人社局",
        ["市发改委", "市教育局", "市总工会"],
        "新建市级以上高技能人才培养载体20家",
        "new_carriers",
        "新建市级以上培养载体20家",
        "20",
        "认定文件",
        {2026: ("新建4家", "4"), 2027: ("累计8家", "8"), 2028: ("累计12家", "12"), 2029: ("累计16家", "16"),
         2030: ("累计20家", "20")},
    ),
    (
        1,
        "市发改委",
        ["市工信局", "市人社局"],
        "链主企业、龙头企业开展产业链职工技能培训",
        "",
        "每年组织链主企业培训不少于10场",
        "10",
        "培训计划、签到表",
        {2026: ("组织培训10场", "10")},
    ),
    (
        7,
        "市人社局",
        ["市国资委", "市总工会"],
        "企业技能人才工资增幅不低于职工工资增幅",
        "wage_growth",
        "报送企业全部达标",
        "1",
        "企业工资报表",
        {2026: ("建立报送制度", None)},
    ),
    (
        10,
        "市人社局",
        ["市财政局"],
        "优化就业补助资金支出结构，重点保障技能人才培养",
        "",
        "",
        None,
        "资金拨付文件",
        {},
    ),
]  # fmt: skip

BUDGETS = [
    ("就业补助资金", 4, "2000000"),
    ("就业补助资金", 10, "1000000"),
    ("职业教育专项资金", 2, "1500000"),
    ("人才发展专项", 9, "3000000"),
]
SPENDING = [
    ("就业补助资金", 4, 3, "620000", "市级公共实训基地实训项目提档升级"),
    ("就业补助资金", 10, 5, "180000", "职业技能培训工作专班经费"),
    ("职业教育专项资金", 2, 4, "450000", "技工学校实训设备"),
    ("职业教育专项资金", 2, 9, "210000", "专业课教师企业实践"),
]


def _previous_quarter(today: datetime.date) -> tuple[int, int] | None:
    year, quarter = quarter_of(today)
    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return (year, quarter) if year in policy.PLAN_YEARS else None


@transaction.atomic
def seed_plan() -> dict[str, int]:
    measures_load(actor=None)
    if Task.objects.exists():
        return {}
    city = User.objects.filter(username="city").first()
    edu = User.objects.filter(username="edu").first()
    if city is None:
        return {}
    today = timezone.localdate()
    names = department_names()
    orgs = {
        short: Organisation.objects.filter(name=full, kind="department").order_by("id").first()
        for short, full in names.items()
    }
    tasks = []
    for measure, owner, supporting, title, indicator, target, value, evidence, milestones in TASKS:
        tasks.append(
            task_create(
                actor=city,
                measure=Measure.objects.get(number=measure),
                title=title,
                owner=orgs[owner],
                supporting=[orgs[s] for s in supporting],
                indicator=indicator,
                target=target,
                target_value=Decimal(value) if value else None,
                evidence=evidence,
                milestones={y: (d, Decimal(v) if v else None) for y, (d, v) in milestones.items()},
                today=today,
            )
        )
    previous = _previous_quarter(today)
    if previous and edu is not None:
        year, quarter = previous
        due = report_due(year, quarter)

        def report(task):
            return ProgressReport.objects.create(
                task=task, department_id=task.owner_id, year=year, quarter=quarter, report_due=due, due_on=due
            )

        teachers, schools, carriers = tasks[0], tasks[1], tasks[2]
        accepted = report_submit(
            actor=edu,
            report=report(teachers),
            text="组织专业课教师参加职业技能等级认定，新增取得高级工及以上证书教师；持证比例稳步提升。",
            figure=Decimal("0.81"),
            milestone=teachers.milestones.filter(year=year).first(),
        )
        report_review(actor=city, report=accepted, action="accept")
        report_submit(
            actor=edu,
            report=report(schools),
            text="完成重点扶持学校遴选方案，报市政府审定。",
            milestone=schools.milestones.filter(year=year).first(),
        )
        report(carriers)  # 市人社局 has not reported it: the daily check raises 督办
    source = {s.name: s for s in FundingSource.objects.all()}
    year = today.year if today.year in policy.PLAN_YEARS else policy.PLAN_YEARS[0]
    for name, measure, amount in BUDGETS:
        budget_set(
            actor=city,
            source=source[name],
            measure=Measure.objects.get(number=measure),
            year=year,
            amount=Decimal(amount),
        )
    if today.year in policy.PLAN_YEARS:
        for name, measure, month, amount, text in SPENDING:
            spent_on = min(datetime.date(year, month, 10), today)
            spending_add(
                actor=city,
                source=source[name],
                measure=Measure.objects.get(number=measure),
                spent_on=spent_on,
                amount=Decimal(amount),
                description=text,
            )
    counts = plan_daily(today)
    return {"tasks": len(tasks), **counts}
