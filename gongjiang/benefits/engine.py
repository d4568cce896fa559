"""Who qualifies for a benefit policy on a date (免申即享): set-based SQL over all people at once,
never a loop over people, and the same rules read for one person with a reason per condition.

A certificate qualifies for a policy version on the evaluation date D when
- it counts on D by the one counting rule (talents.counting: not revoked, not past its valid-until),
- its type is in ``certificate_types`` and its level is a key of ``levels``,
- its issue date lies in ``attained`` and in ``effective`` (inclusive; an open end is open),
- the holder's work region is in ``regions`` and domain in ``domains`` (empty: any),
- with ``shortage_only``: its occupation (or a group above it) is in the shortage catalogue of its
  issue year at or below its level,
- with ``max_age``: the holder's full years of age on the issue date are at most that,
- with ``introduced``: the holder's 引进日期 lies in that window,
- with ``first_time``: the holder has no other non-revoked certificate at the same or a higher
  level issued strictly earlier,
- with ``excludes``: the holder holds no standing entitlement of a listed policy at that level.
``per: "person"`` grants one entitlement per person at the highest qualifying level; ``per: "level"``
one per person and qualifying level. The amount is ``levels[level]``, paid in ``instalments``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from gongjiang.core.models import SkillLevel
from gongjiang.talents.counting import counts_on, counts_on_params, counts_on_sql

from .choices import LIVE_ENTITLEMENT, GrantPer
from .models import PolicyVersion
from .spec import PolicySpec, Window


def _year_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


def _ymd_sql(column: str) -> str:
    """A date as the integer YYYYMMDD: full years between two dates are their difference // 10000."""
    if connection.vendor == "postgresql":
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(strftime('%%Y%%m%%d', {column}) AS INTEGER)"


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _window_sql(column: str, window: Window | None, params: list) -> list[str]:
    if window is None:
        return []
    parts = []
    if window.start:
        parts.append(f"{column} >= %s")
        params.append(window.start)
    if window.end:
        parts.append(f"{column} <= %s")
        params.append(window.end)
    return parts


def qualifying_sql(spec: PolicySpec, on: datetime.date, persons: str = "") -> tuple[str, list]:
    """SELECT person_id, level_id, rank of every certificate that qualifies (see the module).
    ``persons``, when given, is an SQL subquery of person ids to limit the evaluation to (the
    persons an import touched): the cost then follows them, not the whole table."""
    params: list = [*counts_on_params(on)]
    where = [counts_on_sql("c")]
    if persons:
        where.append(f"c.person_id IN ({persons})")
    where.append(f"c.cert_type_id IN ({_marks(spec.certificate_types)})")
    params += list(spec.certificate_types)
    where.append(f"c.level_id IN ({_marks(spec.levels)})")
    params += list(spec.levels)
    where += _window_sql("c.issue_date", spec.attained, params)
    where += _window_sql("c.issue_date", spec.effective, params)
    if spec.regions:
        where.append(f"p.region_id IN ({_marks(spec.regions)})")
        params += list(spec.regions)
    if spec.domains:
        where.append(f"p.domain_id IN ({_marks(spec.domains)})")
        params += list(spec.domains)
    if spec.shortage_only:
        where.append(
            f"""EXISTS (SELECT 1 FROM benefits_shortageoccupation s
                JOIN core_skilllevel sl ON sl.code = s.min_level_id
                WHERE s.year = {_year_sql("c.issue_date")} AND sl.rank <= l.rank
                  AND (c.occupation_id = s.occupation_id OR c.occupation_id LIKE s.occupation_id || '-%%'))"""
        )
    if spec.max_age is not None:
        where.append(f"({_ymd_sql('c.issue_date')} - {_ymd_sql('p.birth_date')}) < %s")
        params.append((spec.max_age + 1) * 10000)
    if spec.introduced is not None:
        where.append("p.introduced_on IS NOT NULL")
        where += _window_sql("p.introduced_on", spec.introduced, params)
    if spec.first_time:
        where.append(
            """NOT EXISTS (SELECT 1 FROM talents_certificate e JOIN core_skilllevel el ON el.code = e.level_id
                WHERE e.person_id = c.person_id AND e.id <> c.id AND e.status <> 'revoked'
                  AND el.rank >= l.rank AND e.issue_date < c.issue_date)"""
        )
    if spec.excludes:
        where.append(
            f"""NOT EXISTS (SELECT 1 FROM benefits_entitlement x JOIN benefits_benefitpolicy xp ON xp.id = x.policy_id
                WHERE x.person_id = c.person_id AND x.level_id = c.level_id
                  AND xp.code IN ({_marks(spec.excludes)}) AND x.status IN ({_marks(LIVE_ENTITLEMENT)}))"""
        )
        params += [*spec.excludes, *LIVE_ENTITLEMENT]
    sql = f"""
        SELECT c.person_id, c.level_id, l.rank
        FROM talents_certificate c
        JOIN core_skilllevel l ON l.code = c.level_id
        JOIN talents_person p ON p.id = c.person_id
        WHERE {" AND ".join(where)}
    """
    return sql, params


def _grants_sql(spec: PolicySpec, on: datetime.date, persons: str = "") -> tuple[str, list]:
    """SELECT person_id, level_id: one row per entitlement the policy grants."""
    sql, params = qualifying_sql(spec, on, persons)
    if spec.per == GrantPer.LEVEL:
        return f"SELECT DISTINCT q.person_id, q.level_id FROM ({sql}) q", params
    ranks = dict(SkillLevel.objects.filter(code__in=spec.levels).values_list("rank", "code"))
    cases = " ".join(f"WHEN {int(rank)} THEN %s" for rank in ranks)
    return (
        f"""SELECT t.person_id, CASE t.top {cases} END AS level_id
            FROM (SELECT q.person_id, MAX(q.rank) AS top FROM ({sql}) q GROUP BY q.person_id) t""",
        [*ranks.values(), *params],
    )


def grants(spec: PolicySpec, on: datetime.date, persons: str = "") -> Iterator[tuple[int, str]]:
    """(person id, level) of every entitlement ``spec`` grants on ``on`` (among ``persons``, an SQL
    subquery of person ids built from constants), streamed."""
    sql, params = _grants_sql(spec, on, persons)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY 1, 2", params)
        while rows := cursor.fetchmany(5000):
            yield from rows


@dataclass(frozen=True)
class Summary:
    eligible: int
    amount: Decimal  # the full amounts, all instalments

    def as_json(self) -> dict:
        return {"eligible": self.eligible, "amount": "%.2f" % self.amount}


def summary(spec: PolicySpec, on: datetime.date) -> Summary:
    """How many entitlements and how much money ``spec`` grants on ``on``, counted in SQL."""
    sql, params = _grants_sql(spec, on)
    amounts = " ".join("WHEN %s THEN %s" for _ in spec.levels)
    amount_params = [v for level, amount in spec.levels.items() for v in (level, amount)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE g.level_id {amounts} END) FROM ({sql}) g", [*amount_params, *params]
        )
        count, total = cursor.fetchone()
    return Summary(count, Decimal(str(total or 0)).quantize(Decimal("0.01")))


def version_in_force(versions: list[PolicyVersion], on: datetime.date) -> PolicyVersion | None:
    """The highest-numbered version whose effective window contains ``on``."""
    for version in sorted(versions, key=lambda v: -v.number):
        if version.effective_from <= on and (version.effective_to is None or on <= version.effective_to):
            return version
    return None


# --- one person, with reasons ------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    reason: str


@dataclass(frozen=True)
class Verdict:
    """Whether one person qualifies for one policy, with each condition ✔/✘ on the certificate
    that came closest (the qualifying one when there is one)."""

    eligible: bool
    level: str | None
    amount: Decimal | None
    certificate: object | None
    checks: tuple[Check, ...]


def _in(window: Window | None, day: datetime.date | None) -> bool:
    return window is None or (day is not None and window.contains(day))


def certificate_checks(
    spec: PolicySpec,
    person,
    certificate,
    on: datetime.date,
    all_certs,
    shortage,
    excluded=(),
    excluded_names=(),
) -> list[Check]:
    """Each condition of ``spec`` on one certificate of ``person``, with its reason in Chinese."""
    level = certificate.level
    name = level.name if level else "无等级"
    issued = certificate.issue_date
    checks = [
        Check(
            "证书有效",
            counts_on(certificate, on),
            "%s证书%s"
            % (
                name,
                "在 %s 有效" % on
                if counts_on(certificate, on)
                else "在 %s 无效（已撤销、已失效或尚未发证）" % on,
            ),
        ),
        Check(
            "证书类型",
            certificate.cert_type_id in spec.certificate_types,
            "证书类型为%s" % certificate.cert_type.name,
        ),
        Check("等级", certificate.level_id in spec.levels, "等级为%s" % name),
    ]
    for label, window in (("取得时间", spec.attained), ("政策有效期", spec.effective)):
        if window is not None:
            ok = window.contains(issued)
            if ok:
                reason = "%s证书发证日期 %s 在 %s 内" % (name, issued, window.label())
            elif window.start and issued < window.start:
                reason = "%s证书发证日期 %s 早于 %s" % (name, issued, window.start)
            else:
                reason = "%s证书发证日期 %s 晚于 %s" % (name, issued, window.end)
            checks.append(Check(label, ok, reason))
    if spec.regions:
        ok = person.region_id in spec.regions
        checks.append(Check("工作县区", ok, "工作县区为%s" % person.region.name))
    if spec.domains:
        ok = person.domain_id in spec.domains
        checks.append(
            Check("重点领域", ok, "重点领域为%s" % (person.domain.name if person.domain_id else "未登记"))
        )
    if spec.shortage_only:
        ok = bool(level) and any(
            s.year == issued.year
            and s.min_level.rank <= level.rank
            and certificate.occupation_id
            and (
                certificate.occupation_id == s.occupation_id
                or certificate.occupation_id.startswith(s.occupation_id + "-")
            )
            for s in shortage
        )
        checks.append(
            Check("急需紧缺", ok, "%s年急需紧缺目录%s该职业和等级" % (issued.year, "包含" if ok else "不含"))
        )
    if spec.max_age is not None:
        age = (
            issued.year
            - person.birth_date.year
            - ((issued.month, issued.day) < (person.birth_date.month, person.birth_date.day))
        )
        checks.append(
            Check("年龄", age <= spec.max_age, "取证时 %d 周岁（上限 %d 周岁）" % (age, spec.max_age))
        )
    if spec.introduced is not None:
        ok = _in(spec.introduced, person.introduced_on)
        reason = (
            "引进日期 %s %s %s 内" % (person.introduced_on, "在" if ok else "不在", spec.introduced.label())
            if person.introduced_on
            else "不是引进人才"
        )
        checks.append(Check("引进人才", ok, reason))
    if spec.first_time:
        earlier = [
            c
            for c in all_certs
            if c.pk != certificate.pk
            and c.status != "revoked"
            and c.level_id
            and level
            and c.level.rank >= level.rank
            and c.issue_date < issued
        ]
        checks.append(
            Check(
                "首次取得",
                not earlier,
                "此前无同级或更高等级证书"
                if not earlier
                else "%s 已取得%s证书" % (earlier[0].issue_date, earlier[0].level.name),
            )
        )
    if spec.excludes:
        held = [e for e in excluded if e.level_id == certificate.level_id]
        checks.append(
            Check(
                "不重复享受",
                not held,
                "未享受%s" % "、".join(excluded_names or spec.excludes)
                if not held
                else "已享受%s（%s）" % (held[0].policy.name, held[0].level.name),
            )
        )
    return checks


def _policy_names(codes) -> list[str]:
    """The names of policies by code (the code itself for one not created yet)."""
    from .models import BenefitPolicy

    names = dict(BenefitPolicy.objects.filter(code__in=codes).values_list("code", "name"))
    return ["“%s”" % names[code] if code in names else code for code in codes]


def person_verdict(spec: PolicySpec, person, on: datetime.date) -> Verdict:
    """The policy read for one person (the same rules as ``qualifying_sql``), with reasons."""
    from .models import Entitlement, ShortageOccupation

    certs = list(person.certificates.select_related("level", "cert_type").order_by("issue_date", "id"))
    shortage = list(ShortageOccupation.objects.select_related("min_level")) if spec.shortage_only else []
    excluded = (
        list(
            Entitlement.objects.filter(
                person=person, policy__code__in=spec.excludes, status__in=LIVE_ENTITLEMENT
            ).select_related("policy", "level")
        )
        if spec.excludes
        else []
    )
    names = _policy_names(spec.excludes) if spec.excludes else []  # once, not per certificate
    best: tuple[int, int, list[Check], object] | None = None
    qualifying = []
    for certificate in certs:
        checks = certificate_checks(spec, person, certificate, on, certs, shortage, excluded, names)
        passed = sum(c.ok for c in checks)
        rank = certificate.level.rank if certificate.level_id else 0
        if all(c.ok for c in checks):
            qualifying.append((rank, certificate, checks))
        if best is None or (passed, rank) > best[:2]:
            best = (passed, rank, checks, certificate)
    if qualifying:
        rank, certificate, checks = max(qualifying, key=lambda q: (q[0], q[1].issue_date))
        return Verdict(
            True, certificate.level_id, spec.amount_for(certificate.level_id), certificate, tuple(checks)
        )
    if best is None:
        return Verdict(False, None, None, None, (Check("证书", False, "没有登记任何证书"),))
    return Verdict(False, None, None, best[3], tuple(best[2]))


def grant_sql(
    *,
    policy_id: int,
    version_id: int,
    spec: PolicySpec,
    on: datetime.date,
    due_on: datetime.date | None = None,
    persons: str = "",
) -> tuple[str, list]:
    """INSERT the entitlements ``spec`` grants on ``on`` that do not stand already: per person, one
    per policy and person (a later higher level is not granted on top); per level, one per policy,
    person and level. Set-based, one statement."""
    from django.utils import timezone

    sql, params = _grants_sql(spec, on, persons)
    amounts = " ".join("WHEN %s THEN %s" for _ in spec.levels)
    amount_params = [v for level, amount in spec.levels.items() for v in (level, amount)]
    same_level = "AND x.level_id = g.level_id" if spec.per == GrantPer.LEVEL else ""
    statement = f"""
        INSERT INTO benefits_entitlement (policy_id, version_id, person_id, level_id, amount, instalments,
            status, granted_on, created_at, step_started_on, due_on, returned_from, status_reason, bank_name,
            account_cipher, account_digest)
        SELECT %s, %s, g.person_id, g.level_id, CASE g.level_id {amounts} END, %s, %s, %s, %s, %s, %s,
            '', '', '', '', ''
        FROM ({sql}) g
        WHERE NOT EXISTS (SELECT 1 FROM benefits_entitlement x
            WHERE x.policy_id = %s AND x.person_id = g.person_id {same_level}
              AND x.status IN ({_marks(LIVE_ENTITLEMENT)}))
    """
    return statement, [
        policy_id,
        version_id,
        *amount_params,
        spec.instalments,
        "offered",
        on,
        timezone.now(),
        on,
        due_on,
        *params,
        policy_id,
        *LIVE_ENTITLEMENT,
    ]


@dataclass(frozen=True)
class Breakdown:
    """What a policy version would grant on a date, counted in SQL: totals, by region and level,
    and the money by year as its instalments fall due (the first this year)."""

    summary: Summary
    by_region: dict[str, tuple[int, Decimal]]
    by_level: dict[str, tuple[int, Decimal]]
    by_year: dict[int, Decimal]


def breakdown(spec: PolicySpec, on: datetime.date) -> Breakdown:
    """The what-if of ``spec`` on ``on`` (writes nothing): the same engine as the grants."""
    sql, params = _grants_sql(spec, on)
    amounts = " ".join("WHEN %s THEN %s" for _ in spec.levels)
    amount_params = [v for level, amount in spec.levels.items() for v in (level, amount)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT p.region_id, g.level_id, COUNT(*), SUM(CASE g.level_id {amounts} END)
                FROM ({sql}) g JOIN talents_person p ON p.id = g.person_id
                GROUP BY p.region_id, g.level_id""",
            [*amount_params, *params],
        )
        rows = cursor.fetchall()
    by_region: dict[str, tuple[int, Decimal]] = {}
    by_level: dict[str, tuple[int, Decimal]] = {}
    for region, level, count, total in rows:
        total = Decimal(str(total or 0))
        for groups, key in ((by_region, region), (by_level, level)):
            n, money = groups.get(key, (0, Decimal(0)))
            groups[key] = (n + count, money + total)
    grand = sum((money for _n, money in by_level.values()), Decimal(0))
    per_year = (grand / spec.instalments).quantize(Decimal("0.01"))
    by_year = {on.year + k: per_year for k in range(spec.instalments)}
    if by_year:
        by_year[on.year + spec.instalments - 1] = grand - per_year * (spec.instalments - 1)
    return Breakdown(
        Summary(sum(n for n, _m in by_level.values()), grand.quantize(Decimal("0.01"))),
        by_region,
        by_level,
        by_year,
    )
