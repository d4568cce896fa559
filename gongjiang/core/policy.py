"""The policy's targets and dates (《关于加强新时代连云港高技能人才队伍建设的实施意见》, DESIGN.md's
指标口径): the one place they are written. Indicators, carriers, schools and reports read them here."""

from __future__ import annotations

import datetime

BASE_DATE = datetime.date(2025, 12, 31)  # the value on this day is the baseline of every pace line
PERIOD_START = datetime.date(2026, 1, 1)  # 十五五 begins
PERIOD_END = datetime.date(2030, 12, 31)  # 十五五 ends: every target's deadline

NEW_HIGH_SKILLED_GOAL = 50_000  # 新增高技能人才, persons
HIGH_SKILLED_SHARE_GOAL = 0.33  # 高技能人才占技能劳动者比例
NEW_CARRIERS_GOAL = 20  # 新建市级以上高技能人才培养载体
TEACHER_GOAL_PERCENT = 90  # 专业课教师高级证书比例, percent (exactly 90% meets it)
# 高水平示范性学校 "2 + 2": per organisation kind (orgs.choices.OrgKind values).
DEMONSTRATION_GOAL_BY_KIND = {"vocational_school": 2, "technical_school": 2}
WAGE_GROWTH_GOAL = 1.0  # every reporting enterprise

# The plan (measures × departments): a quarter's progress report is due on this day of the month
# after the quarter ends; a reminder goes out this many days before; a 督办 notice is answered
# within its own step deadline (workflow.StepDeadline "supervision"/"open").
PLAN_REPORT_DAY = 15
PLAN_REMINDER_DAYS = 7
PLAN_YEARS = tuple(range(PERIOD_START.year, PERIOD_END.year + 1))  # yearly milestones 2026–2030
