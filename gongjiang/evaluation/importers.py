"""Import KINDs of skill evaluation: institutions' filings, and a batch's candidates with results."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongjiang.accounts.scope import row_in_scope
from gongjiang.core import converters
from gongjiang.core.models import Occupation, SkillLevel
from gongjiang.core.validators import normalise_resident_id, normalise_uscc
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, register
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Person
from gongjiang.talents.services import resident_id_digest

from .choices import BatchStatus, CandidateResult, FilingStatus, InstitutionType
from .models import AppointmentRule, Batch, Candidate, Filing, FilingStaging, ResultStaging
from .services import filing_levels, filing_rule_errors, overlap_message, score_check

LIST_SEPARATORS = re.compile(r"[;；,，\s]+")
# Filings an import may still change (re-submit); others are the city's decision.
EDITABLE = (FilingStatus.SUBMITTED, FilingStatus.REJECTED)


def _split(value: object) -> list[str]:
    return [part for part in LIST_SEPARATORS.split(converters.text(value) or "") if part]


def _one(lookup: converters.Lookup, text: str) -> str | None:
    try:
        return lookup(text)
    except ValidationError:
        return None


def _many(value: object, lookup: converters.Lookup, what: str) -> list[str]:
    """Several codes or names in one cell, separated by ; , or spaces (or 、 between codes: names
    of occupations themselves contain 、)."""
    found: list[str] = []
    for part in _split(value):
        key = _one(lookup, part)
        if key is None and "、" in part:
            keys = [_one(lookup, p) for p in part.split("、") if p]
            if keys and None not in keys:
                found.extend(keys)
                continue
        if key is None:
            raise ValidationError("无法识别的%s“%s”" % (what, part))
        found.append(key)
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# evaluation_institutions: filings


@dataclass
class FilingContext:
    actor: object
    job_id: int
    orgs: dict[str, Organisation]
    types: converters.Lookup
    occupations: converters.Lookup
    occupation_rows: dict[str, Occupation]
    levels: converters.LevelLookup
    level_rows: dict[str, SkillLevel]
    appointment_levels: set[str]
    periods: dict[tuple[int, str], list[tuple[datetime.date, datetime.date, int]]] = field(
        default_factory=dict
    )


class FilingImport(ImportKind):
    name = "evaluation_institutions"
    label = "评价机构备案"
    order = 30
    permission = "evaluation.add_filing"
    staging_table = FilingStaging._meta.db_table
    result_keys = ("filings_created", "filings_updated", "filings_unchanged")
    result_labels = {
        "filings_created": "新增备案",
        "filings_updated": "更新备案",
        "filings_unchanged": "未变化备案",
    }
    columns = (
        Column(
            "name",
            "机构名称",
            ("评价机构", "评价机构名称", "单位名称"),
            width=30,
            help="仅供核对，以信用代码为准",
        ),
        Column(
            "uscc",
            "统一社会信用代码",
            ("信用代码", "社会信用代码"),
            required=True,
            text_format=True,
            width=22,
            help="须为已登记的单位",
        ),
        Column(
            "institution_type",
            "机构类型",
            ("评价机构类型", "类型"),
            required=True,
            choices=lambda: InstitutionType.labels,
            width=18,
        ),
        Column(
            "occupations",
            "可评价职业",
            ("职业编码", "评价职业", "职业", "职业（工种）", "职业(工种)"),
            required=True,
            text_format=True,
            width=30,
            help="职业编码或名称，多个以分号分隔，如 6-18-01;6-18-02",
        ),
        Column(
            "levels",
            "可评价等级",
            ("评价等级", "等级", "技能等级"),
            required=True,
            width=24,
            help="多个以分号分隔，如 高级工;技师;高级技师",
        ),
        Column(
            "valid_from", "有效期起", ("备案有效期起", "起始日期"), required=True, help=converters.DATE_HELP
        ),
        Column(
            "valid_to", "有效期止", ("备案有效期止", "截止日期"), required=True, help=converters.DATE_HELP
        ),
    )
    staging_columns = (
        "job_id",
        "row_no",
        "organisation_id",
        "institution_type",
        "occupation_codes",
        "level_codes",
        "valid_from",
        "valid_to",
    )
    instructions = (
        "每行一份备案：单位按统一社会信用代码识别，须已登记。导入的备案为“待审核”，由市人社局审核。",
        "同一单位、同一机构类型、同一有效期起的备案视为同一份：待审核或已退回的按本表修改并重新提交；已审核的不能通过导入修改。",
    )

    def start(self, *, actor, job_id: int) -> FilingContext:
        occupations = {o.code: o for o in Occupation.objects.all()}
        occupation_keys = {code: code for code in occupations} | {
            o.name: o.code for o in occupations.values()
        }
        levels = {lv.code: lv for lv in filing_levels()}
        level_keys: dict[str, str] = {}
        for lv in levels.values():
            level_keys.update({lv.code: lv.code, lv.name: lv.code})
            if lv.grade:
                level_keys[lv.grade] = lv.code
        types = {label: value for value, label in InstitutionType.choices} | {
            v: v for v in InstitutionType.values
        }
        types.update(
            {
                "社会评价组织": InstitutionType.SOCIAL,
                "企业": InstitutionType.EMPLOYER,
                "学校": InstitutionType.SCHOOL,
            }
        )
        return FilingContext(
            actor=actor,
            job_id=job_id,
            orgs={o.uscc: o for o in Organisation.objects.only("pk", "uscc", "name", "kind")},
            types=converters.Lookup("机构类型", types),
            occupations=converters.Lookup("职业", occupation_keys),
            occupation_rows=occupations,
            levels=converters.LevelLookup("技能等级", level_keys),
            level_rows=levels,
            appointment_levels=set(AppointmentRule.objects.values_list("level_id", flat=True)),
        )

    def convert(self, ctx: FilingContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        get = functools.partial(errors.take, values)
        uscc = get("uscc", normalise_uscc)
        org = ctx.orgs.get(uscc) if uscc else None
        if uscc and org is None:
            errors.add("uscc", values.get("uscc"), "该单位尚未登记，请先在“单位”中登记或导入单位名录")
        institution_type = get("institution_type", ctx.types)
        if institution_type is None and values.get("institution_type") in (None, ""):
            errors.add("institution_type", None, "机构类型不能为空")
        occupation_codes = get("occupations", _many, ctx.occupations, "职业") or []
        level_codes = get("levels", _many, ctx.levels, "技能等级") or []
        valid_from = get("valid_from", converters.date, earliest=datetime.date(2000, 1, 1), future=True)
        valid_to = get("valid_to", converters.date, earliest=datetime.date(2000, 1, 1), future=True)
        for key, value in (("valid_from", valid_from), ("valid_to", valid_to)):
            if value is None and values.get(key) in (None, ""):
                errors.add(key, None, "不能为空")
        if errors:
            return None
        problems = filing_rule_errors(
            org=org,
            institution_type=institution_type,
            occupations=[ctx.occupation_rows[c] for c in occupation_codes],
            levels=[ctx.level_rows[c] for c in level_codes],
            appointment_levels=ctx.appointment_levels,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for key, reason in problems.items():
            column = "uscc" if key == "organisation" else key
            errors.add(column, values.get(column), reason)
        if errors:
            return None
        if not row_in_scope(Filing, ctx.actor, {"organisation": org.pk}):
            errors.add("uscc", values.get("uscc"), "只能为本单位备案")
            return None
        earlier = ctx.periods.setdefault((org.pk, institution_type), [])
        for start, end, row in earlier:
            if start <= valid_to and end >= valid_from:
                errors.add(
                    "valid_from", values.get("valid_from"), "与第%d行同一单位同类型备案的有效期重叠" % row
                )
                return None
        earlier.append((valid_from, valid_to, number))
        return (
            ctx.job_id,
            number,
            org.pk,
            institution_type,
            ";".join(occupation_codes),
            ";".join(level_codes),
            valid_from,
            valid_to,
        )

    def check_batch(self, ctx: FilingContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        """A row may re-submit a filing still waiting (same organisation, type and start) or repeat
        an approved one unchanged; it may not change an approved one or overlap another."""
        existing = _open_filings({staged[2] for _n, staged in rows})
        refused: dict[int, str] = {}
        for number, staged in rows:
            _job, _row, org_id, kind, occupations, levels, start, end = staged
            same = existing.get((org_id, kind, start))
            if same is not None:
                if same.status not in EDITABLE and not _same_content(same, occupations, levels, end):
                    refused[number] = "该备案已审核（%s），不能通过导入修改；如需变更请联系市人社局" % (
                        same.get_status_display()
                    )
                continue
            for other in existing.values():
                if (
                    other.organisation_id == org_id
                    and other.institution_type == kind
                    and other.status != FilingStatus.REJECTED
                    and other.valid_from <= end
                    and other.valid_to >= start
                ):
                    refused[number] = overlap_message(other)
                    break
        return refused

    def merge(self, ctx: FilingContext, *, job_id: int) -> MergeOutcome:
        """Filings are few (one per institution and period), so the merge works on model rows in
        bulk: new filings and their occupations and levels in three inserts, re-submissions one by one."""
        staged = list(FilingStaging.objects.filter(job_id=job_id).order_by("row_no"))
        existing = _open_filings({s.organisation_id for s in staged})
        now = timezone.now()
        created: list[tuple[Filing, FilingStaging]] = []
        updated = unchanged = 0
        for row in staged:
            same = existing.get((row.organisation_id, row.institution_type, row.valid_from))
            if same is None:
                created.append(
                    (
                        Filing(
                            organisation_id=row.organisation_id,
                            institution_type=row.institution_type,
                            valid_from=row.valid_from,
                            valid_to=row.valid_to,
                            status=FilingStatus.SUBMITTED,
                            submitted_by=ctx.actor,
                            submitted_at=now,
                        ),
                        row,
                    )
                )
            elif _same_content(same, row.occupation_codes, row.level_codes, row.valid_to) and (
                same.status not in EDITABLE or same.status == FilingStatus.SUBMITTED
            ):
                unchanged += 1
            else:
                same.valid_to, same.status, same.status_reason = row.valid_to, FilingStatus.SUBMITTED, ""
                same.submitted_by, same.submitted_at = ctx.actor, now
                same.save()
                same.occupations.set(row.occupation_codes.split(";"))
                same.levels.set(row.level_codes.split(";"))
                updated += 1
        Filing.objects.bulk_create([f for f, _row in created])
        Filing.occupations.through.objects.bulk_create(
            [
                Filing.occupations.through(filing_id=f.pk, occupation_id=code)
                for f, row in created
                for code in row.occupation_codes.split(";")
            ]
        )
        Filing.levels.through.objects.bulk_create(
            [
                Filing.levels.through(filing_id=f.pk, skilllevel_id=code)
                for f, row in created
                for code in row.level_codes.split(";")
            ]
        )
        return MergeOutcome(
            counts={
                "filings_created": len(created),
                "filings_updated": updated,
                "filings_unchanged": unchanged,
            }
        )


def _open_filings(organisation_ids: set[int]) -> dict[tuple[int, str, datetime.date], Filing]:
    """Non-withdrawn filings of these organisations by (organisation, type, start)."""
    filings = Filing.objects.filter(organisation_id__in=organisation_ids).exclude(
        status=FilingStatus.WITHDRAWN
    )
    return {
        (f.organisation_id, f.institution_type, f.valid_from): f
        for f in filings.prefetch_related("occupations", "levels")
    }


def _same_content(filing: Filing, occupations: str, levels: str, valid_to: datetime.date) -> bool:
    return (
        filing.valid_to == valid_to
        and {o.code for o in filing.occupations.all()} == set(occupations.split(";"))
        and {lv.code for lv in filing.levels.all()} == set(levels.split(";"))
    )


# ---------------------------------------------------------------------------------------------
# evaluation_results: a batch's candidates and their results


@dataclass
class BatchFacts:
    status: str
    institution_type: str
    organisation_id: int
    exam_date: datetime.date


@dataclass
class ResultContext:
    actor: object
    job_id: int
    batches: dict[int, BatchFacts]
    results: converters.Lookup
    today: datetime.date
    seen: dict[tuple[int, str], int] = field(default_factory=dict)


def _batch_id(value: object) -> int:
    code = converters.Lookup.norm(value).upper().removeprefix("PC")
    if not code.isdigit():
        raise ValidationError("批次编号应为 PC 加6位数字，如 PC000012")
    return int(code)


def _score(value: object) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = Decimal(str(value).strip()).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationError("成绩应为数字") from None
    if not score.is_finite():
        raise ValidationError("成绩应为数字")
    return score_check(score)


class ResultImport(ImportKind):
    name = "evaluation_results"
    label = "认定批次考生与结果"
    order = 40
    permission = "evaluation.change_batch"
    staging_table = ResultStaging._meta.db_table
    result_keys = ("candidates_added", "results_updated", "candidates_unchanged")
    result_labels = {
        "candidates_added": "新增考生",
        "results_updated": "更新结果",
        "candidates_unchanged": "未变化考生",
    }
    columns = (
        Column(
            "batch",
            "批次编号",
            ("认定批次", "批次"),
            required=True,
            text_format=True,
            help="如 PC000012，见批次页面",
        ),
        Column(
            "id_number",
            "身份证号",
            ("公民身份号码", "身份证号码", "证件号码"),
            required=True,
            text_format=True,
            width=22,
            help="考生须已登记在人才库中",
        ),
        Column("name", "姓名", ("考生姓名",), width=10, help="填写时须与人才库登记的一致"),
        Column(
            "result",
            "考核结果",
            ("结果", "是否合格", "认定结果"),
            choices=lambda: CandidateResult.labels,
            help="合格或不合格；考核前留空，只登记考生",
        ),
        Column("score", "成绩", ("分数", "考核成绩", "总成绩"), help="0 到 100"),
    )
    staging_columns = ("job_id", "row_no", "batch_id", "id_digest", "name", "passed", "score")
    instructions = (
        "每行一名考生：不在名单中的考生加入批次（仅限计划中的批次）；填写了考核结果或成绩的，按本表更新。",
        "考核结果只能在考核日期之后、结果上报之前（或退回补正后）录入。",
    )

    def start(self, *, actor, job_id: int) -> ResultContext:
        batches = {
            pk: BatchFacts(status, kind, org, exam)
            for pk, status, kind, org, exam in Batch.objects.for_user(actor, "change").values_list(
                "pk", "status", "filing__institution_type", "filing__organisation_id", "exam_date"
            )
        }
        results = {label: value for value, label in CandidateResult.choices} | {
            v: v for v in CandidateResult.values
        }
        results.update({"通过": "pass", "不通过": "fail", "是": "pass", "否": "fail", "缺考": "fail"})
        return ResultContext(
            actor=actor,
            job_id=job_id,
            batches=batches,
            results=converters.Lookup("考核结果", results),
            today=timezone.localdate(),
        )

    def convert(self, ctx: ResultContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        get = functools.partial(errors.take, values)
        batch_id = get("batch", _batch_id)
        batch = ctx.batches.get(batch_id) if batch_id else None
        if batch_id and batch is None:
            errors.add("batch", values.get("batch"), "批次不存在或不属于本机构")
        rid = get("id_number", normalise_resident_id)
        name = get("name", converters.text, max_length=40)
        result = get("result", ctx.results)
        score = get("score", _score)
        if errors:
            return None
        has_result = result is not None or score is not None
        if batch.status not in (BatchStatus.PLANNED, BatchStatus.RETURNED):
            errors.add(
                "batch",
                values.get("batch"),
                "批次当前状态为“%s”，不能再导入" % BatchStatus(batch.status).label,
            )
        elif has_result and batch.exam_date > ctx.today:
            errors.add("result", values.get("result"), "考核日期（%s）还没到，不能录入结果" % batch.exam_date)
        elif score is not None and result is None:
            errors.add("result", None, "填写成绩时须同时填写考核结果")
        key = (batch_id, rid.number)
        if key in ctx.seen:
            errors.add("id_number", None, "与第%d行是同一批次的同一考生" % ctx.seen[key])
        if errors:
            return None
        ctx.seen[key] = number
        passed = {"pass": True, "fail": False}.get(result) if result else None
        return (ctx.job_id, number, batch_id, resident_id_digest(rid.number), name, passed, score)

    def check_batch(self, ctx: ResultContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        """Candidates must be in the talent database (and, for an employer's batch, its staff);
        new ones may join only a planned batch."""
        digests = {staged[3] for _n, staged in rows}
        persons = {
            digest: (pk, name, employer)
            for digest, pk, name, employer in Person.objects.filter(id_digest__in=digests).values_list(
                "id_digest", "pk", "name", "employer_id"
            )
        }
        present = set(
            Candidate.objects.filter(
                batch_id__in={staged[2] for _n, staged in rows},
                person_id__in=[p[0] for p in persons.values()],
            ).values_list("batch_id", "person_id")
        )
        refused: dict[int, str] = {}
        for number, staged in rows:
            batch_id, digest, name = staged[2], staged[3], staged[4]
            person = persons.get(digest)
            batch = ctx.batches[batch_id]
            if person is None:
                refused[number] = "人才库中没有该身份证号的人员，请先登记人员"
            elif name and name != person[1]:
                refused[number] = "姓名与人才库登记的不一致，请核对身份证号和姓名"
            elif (batch_id, person[0]) not in present:
                if batch.status != BatchStatus.PLANNED:
                    refused[number] = "该考生不在批次名单中；批次已上报过结果，不能再添加考生"
                elif (
                    batch.institution_type == InstitutionType.EMPLOYER and person[2] != batch.organisation_id
                ):
                    refused[number] = "用人单位评价只面向本单位职工：该人员在人才库登记的工作单位不是本单位"
        return refused

    def merge(self, ctx: ResultContext, *, job_id: int) -> MergeOutcome:
        s, c = ResultStaging._meta.db_table, Candidate._meta.db_table
        distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {s} WHERE job_id = %s", [job_id])
            total = cursor.fetchone()[0]
            # Results first, for candidates already on the list; then the new candidates with theirs.
            cursor.execute(
                f"""
                UPDATE {c} SET passed = st.passed, score = st.score
                FROM (SELECT s.batch_id, p.id AS person_id, s.passed, s.score
                      FROM {s} s JOIN talents_person p ON p.id_digest = s.id_digest
                      WHERE s.job_id = %s AND s.passed IS NOT NULL) st
                WHERE {c}.batch_id = st.batch_id AND {c}.person_id = st.person_id
                  AND ({c}.passed {distinct} st.passed OR {c}.score {distinct} st.score)
                """,
                [job_id],
            )
            updated = cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO {c} (batch_id, person_id, passed, score, added_at)
                SELECT s.batch_id, p.id, s.passed, s.score, %s
                FROM {s} s JOIN talents_person p ON p.id_digest = s.id_digest
                WHERE s.job_id = %s AND NOT EXISTS (
                    SELECT 1 FROM {c} x WHERE x.batch_id = s.batch_id AND x.person_id = p.id)
                """,
                [timezone.now(), job_id],
            )
            added = cursor.rowcount
        return MergeOutcome(
            counts={
                "candidates_added": added,
                "results_updated": updated,
                "candidates_unchanged": total - added - updated,
            }
        )


register(FilingImport())
register(ResultImport())
