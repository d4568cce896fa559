"""Import KIND ``competition_results``: an event's competitors and their ranks and awards, through
the one import pipeline (every row's errors reported; a failed import writes nothing)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongjiang.core import converters
from gongjiang.core.validators import normalise_resident_id
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, register
from gongjiang.talents.models import Person
from gongjiang.talents.services import resident_id_digest

from .choices import Award, ResultStatus
from .models import Event, Result, ResultStaging

# Ways organisers write awards, beside the labels and codes.
AWARD_ALIASES = {
    "金奖": Award.GOLD,
    "银奖": Award.SILVER,
    "铜奖": Award.BRONZE,
    "优秀奖": Award.EXCELLENCE,
    "一等": Award.FIRST,
    "二等": Award.SECOND,
    "三等": Award.THIRD,
    "无": Award.NONE,
    "未获奖": Award.NONE,
}


@dataclass
class ResultContext:
    actor: object
    job_id: int
    events: set[int]
    awards: converters.Lookup
    seen: dict[tuple[int, str], int] = field(default_factory=dict)


def _event_id(value: object) -> int:
    code = converters.Lookup.norm(value).upper().removeprefix("XM")
    if not code.isdigit():
        raise ValidationError("项目编号应为 XM 加6位数字，如 XM000012（见竞赛项目页面）")
    return int(code)


def _rank(value: object) -> int | None:
    text = converters.text(value)
    if not text:
        return None
    text = text.removeprefix("第").removesuffix("名")
    try:
        number = int(float(text))
    except ValueError:
        raise ValidationError("名次应为正整数") from None
    if number < 1 or number > 10_000 or float(text) != number:
        raise ValidationError("名次应为正整数")
    return number


class CompetitionResultImport(ImportKind):
    name = "competition_results"
    label = "竞赛成绩"
    order = 45
    permission = "competitions.change_event"
    staging_table = ResultStaging._meta.db_table
    result_keys = ("results_added", "results_updated", "results_unchanged")
    result_labels = {
        "results_added": "新增成绩",
        "results_updated": "更新成绩",
        "results_unchanged": "未变化成绩",
    }
    columns = (
        Column(
            "event",
            "项目编号",
            ("竞赛项目", "项目"),
            required=True,
            text_format=True,
            help="如 XM000012，见竞赛项目页面",
        ),
        Column(
            "id_number",
            "身份证号",
            ("公民身份号码", "身份证号码", "证件号码"),
            required=True,
            text_format=True,
            width=22,
            help="选手须已登记在人才库中",
        ),
        Column("name", "姓名", ("选手姓名",), width=10, help="填写时须与人才库登记的一致"),
        Column("rank", "名次", ("排名",), help="正整数，可留空"),
        Column(
            "award",
            "奖项",
            ("获奖等次", "奖励"),
            required=True,
            choices=lambda: Award.labels,
            help="金牌、银牌、铜牌、优胜奖、一等奖、二等奖、三等奖或未获奖",
        ),
    )
    staging_columns = ("job_id", "row_no", "event_id", "id_digest", "name", "rank", "award")
    instructions = (
        "每行一名选手的成绩；已录入的成绩按本表更新。已公布的成绩须先在项目页面撤回，才能重新导入。",
        "导入后在项目页面“公布成绩”：按奖励规则授予荣誉称号、确定奖金并颁发晋升证书。",
    )

    def start(self, *, actor, job_id: int) -> ResultContext:
        awards = (
            {label: value for value, label in Award.choices} | {v: v for v in Award.values} | AWARD_ALIASES
        )
        return ResultContext(
            actor=actor,
            job_id=job_id,
            events=set(Event.objects.for_user(actor, "change").values_list("pk", flat=True)),
            awards=converters.Lookup("奖项", awards),
        )

    def convert(self, ctx: ResultContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        get = functools.partial(errors.take, values)
        event_id = get("event", _event_id)
        if event_id and event_id not in ctx.events:
            errors.add("event", values.get("event"), "竞赛项目不存在或您无权录入其成绩")
        rid = get("id_number", normalise_resident_id)
        name = get("name", converters.text, max_length=40)
        rank = get("rank", _rank)
        award = get("award", ctx.awards)
        if award is None and not errors:
            errors.add("award", values.get("award"), "请填写奖项")
        if errors:
            return None
        key = (event_id, rid.number)
        if key in ctx.seen:
            errors.add("id_number", None, "与第%d行是同一项目的同一选手" % ctx.seen[key])
            return None
        ctx.seen[key] = number
        return (ctx.job_id, number, event_id, resident_id_digest(rid.number), name, rank, award)

    def check_batch(self, ctx: ResultContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        digests = {staged[3] for _n, staged in rows}
        persons = {
            d: (pk, name)
            for d, pk, name in Person.objects.filter(id_digest__in=digests).values_list(
                "id_digest", "pk", "name"
            )
        }
        published = set(
            Result.objects.filter(
                event_id__in={staged[2] for _n, staged in rows},
                person_id__in=[p[0] for p in persons.values()],
                status=ResultStatus.PUBLISHED,
            ).values_list("event_id", "person_id")
        )
        refused: dict[int, str] = {}
        for number, staged in rows:
            person = persons.get(staged[3])
            if person is None:
                refused[number] = "人才库中没有该身份证号的人员，请先登记人员"
            elif staged[4] and staged[4] != person[1]:
                refused[number] = "姓名与人才库登记的不一致，请核对身份证号和姓名"
            elif (staged[2], person[0]) in published:
                refused[number] = "该选手在本项目的成绩已公布；如需更正，请先在项目页面撤回该成绩"
        return refused

    def merge(self, ctx: ResultContext, *, job_id: int) -> MergeOutcome:
        s, r = ResultStaging._meta.db_table, Result._meta.db_table
        distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {s} WHERE job_id = %s", [job_id])
            total = cursor.fetchone()[0]
            cursor.execute(
                f"""
                UPDATE {r} SET rank = st.rank, award = st.award, status = %s, prize = NULL, titles = '',
                    promotion_note = '', certificate_id = NULL, withdrawn_reason = ''
                FROM (SELECT s.event_id, p.id AS person_id, s.rank, s.award
                      FROM {s} s JOIN talents_person p ON p.id_digest = s.id_digest WHERE s.job_id = %s) st
                WHERE {r}.event_id = st.event_id AND {r}.person_id = st.person_id AND {r}.status <> %s
                  AND ({r}.rank {distinct} st.rank OR {r}.award <> st.award OR {r}.status <> %s)
                """,
                [ResultStatus.RECORDED, job_id, ResultStatus.PUBLISHED, ResultStatus.RECORDED],
            )
            updated = cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO {r} (event_id, person_id, rank, award, status, titles, promotion_note,
                                 withdrawn_reason, recorded_at)
                SELECT s.event_id, p.id, s.rank, s.award, %s, '', '', '', %s
                FROM {s} s JOIN talents_person p ON p.id_digest = s.id_digest
                WHERE s.job_id = %s AND NOT EXISTS (
                    SELECT 1 FROM {r} x WHERE x.event_id = s.event_id AND x.person_id = p.id)
                """,
                [ResultStatus.RECORDED, timezone.now(), job_id],
            )
            added = cursor.rowcount
        return MergeOutcome(
            counts={
                "results_added": added,
                "results_updated": updated,
                "results_unchanged": total - added - updated,
            }
        )


register(CompetitionResultImport())
