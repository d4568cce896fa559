"""Reads of benefits: policies and their versions as specs, what each policy grants on a date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .engine import Summary, Verdict, person_verdict, summary, version_in_force
from .models import BenefitPolicy
from .spec import PolicySpec, spec_from_json


def version_spec(version, *, policy: BenefitPolicy) -> PolicySpec:
    """A stored version read back as the spec it was written from (with the policy's budgets)."""
    from .services import known_codes

    raw = dict(version.rules)
    raw["budget"] = {str(b.year): str(b.amount) for b in policy.budgets.all()}
    return spec_from_json(raw, known=known_codes())


def exclusive_entitlement(*, person_id: int, level_id: str, codes: list[str] | tuple[str, ...]):
    """A standing entitlement of the person at this level under one of the policies ``codes``
    (a policy's ``excludes``), or None: one subsidy for one certificate, never two."""
    from .choices import LIVE_ENTITLEMENT
    from .models import Entitlement

    if not codes:
        return None
    return (
        Entitlement.objects.filter(
            person_id=person_id, level_id=level_id, policy__code__in=codes, status__in=LIVE_ENTITLEMENT
        )
        .select_related("policy")
        .first()
    )


def policies_excluding(code: str) -> list[str]:
    """Codes of the policies any of whose versions lists ``code`` in its ``excludes``: a subsidy
    paid elsewhere (a training claim's) checks these the other way round."""
    from .models import PolicyVersion

    return sorted(
        {
            policy
            for policy, rules in PolicyVersion.objects.values_list("policy__code", "rules")
            if code in (rules or {}).get("excludes", [])
        }
    )


def policies_in_force(
    *, on: datetime.date, code: str | None = None
) -> list[tuple[BenefitPolicy, PolicySpec]]:
    """Every policy (or one) with the version in force on ``on``; policies with none are left out,
    and so are training subsidies (granted per claim line, not by who holds a certificate)."""
    policies = (
        BenefitPolicy.objects.exclude(mode="claim").prefetch_related("versions", "budgets").order_by("code")
    )
    if code:
        policies = policies.filter(code=code)
    found = []
    for policy in policies:
        version = version_in_force(list(policy.versions.all()), on)
        if version is not None:
            found.append((policy, version_spec(version, policy=policy)))
    return found


def entitlements_summary(*, on: datetime.date, code: str | None = None) -> dict[str, Summary]:
    """What each policy in force would grant on ``on`` (writes nothing)."""
    return {policy.code: summary(spec, on) for policy, spec in policies_in_force(on=on, code=code)}


def policies_dump() -> list[dict]:
    """Every policy's latest version in the file format (``policies load`` reads it back)."""
    from .services import known_codes

    known = known_codes()
    out = []
    for policy in BenefitPolicy.objects.prefetch_related("versions", "budgets").order_by("code"):
        latest = max(policy.versions.all(), key=lambda v: v.number, default=None)
        if latest is None:
            continue
        raw = dict(latest.rules)
        raw["budget"] = {str(b.year): str(b.amount) for b in policy.budgets.all()}
        out.append(spec_from_json(raw, known=known).as_json())
    return out


@dataclass(frozen=True)
class PersonBenefit:
    policy: BenefitPolicy
    spec: PolicySpec
    verdict: Verdict
    entitlements: list
    applications: list = ()

    @property
    def may_apply(self) -> bool:
        """An application policy the person qualifies for, not held and not applied for (a
        refused application may be followed by a new one)."""
        from .choices import ApplicationStatus, PolicyMode

        return (
            self.verdict.eligible
            and self.policy.mode == PolicyMode.APPLICATION
            and not self.entitlements
            and all(a.status == ApplicationStatus.REJECTED for a in self.applications)
        )


def person_benefits(*, person, on: datetime.date, user) -> list[PersonBenefit]:
    """Each policy in force on ``on`` read for ``person`` (eligible first), with the person's
    standing entitlements of it that ``user`` may see."""
    from .models import BenefitApplication, Entitlement

    held: dict[int, list] = {}
    for entitlement in Entitlement.objects.for_user(user).filter(person=person).select_related("level"):
        held.setdefault(entitlement.policy_id, []).append(entitlement)
    applied: dict[int, list] = {}
    for application in BenefitApplication.objects.for_user(user).filter(person=person).order_by("-pk"):
        applied.setdefault(application.policy_id, []).append(application)
    rows = [
        PersonBenefit(
            policy,
            spec,
            person_verdict(spec, person, on),
            held.get(policy.pk, []),
            applied.get(policy.pk, []),
        )
        for policy, spec in policies_in_force(on=on)
    ]
    return sorted(rows, key=lambda r: (not r.verdict.eligible, r.policy.code))


def entitlement_list(*, user, action: str = "view"):
    """The entitlements ``user`` may ``action`` (the one scope rule), with what the list shows."""
    from .models import Entitlement

    return Entitlement.objects.for_user(user, action).select_related("person__region", "policy", "level")


def entitlement_detail(*, user, pk: int):
    """One entitlement in scope; 404 (audited) outside it."""
    from gongjiang.accounts.shortcuts import get_scoped_or_404

    return get_scoped_or_404(entitlement_list(user=user), user, "view", pk=pk)


def payment_batch_list():
    """Every payment batch with its number of lines and total (the city's page)."""
    from django.db.models import Count, Sum

    from .models import PaymentBatch

    return PaymentBatch.objects.annotate(line_count=Count("lines"), line_total=Sum("lines__amount"))


BANK_FILE_HEADERS = ("明细编号", "姓名", "开户银行", "银行账号", "金额", "政策", "期次")


def bank_file_rows(batch) -> list[tuple]:
    """The bank file of a batch: the lines waiting for payment, with the full account numbers
    (only the paying role reaches this; the caller audits it)."""
    from gongjiang.core.crypto import decrypt

    from .choices import PaymentStatus

    lines = batch.lines.filter(status=PaymentStatus.PENDING).select_related(
        "entitlement__person", "entitlement__policy"
    )
    return [
        (
            str(line.pk),
            line.entitlement.person.name,
            line.entitlement.bank_name,
            decrypt(line.entitlement.account_cipher) if line.entitlement.account_cipher else "",
            line.amount,
            line.entitlement.policy.name,
            "第%d期" % line.instalment,
        )
        for line in lines.order_by("id")
    ]


@dataclass(frozen=True)
class BudgetRow:
    year: int
    budget: Decimal | None
    granted: Decimal
    paid: Decimal

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.granted


def policy_overview() -> list[
    tuple[BenefitPolicy, PolicySpec | None, list[BudgetRow], list[tuple[str, Decimal]]]
]:
    """Every policy with its latest version and, per year, budget, granted (the full amounts of
    standing entitlements granted that year), paid (lines paid in that year's batches) and left."""
    from django.db.models import Sum
    from django.db.models.functions import ExtractYear

    from .choices import LIVE_ENTITLEMENT, PaymentStatus
    from .models import Entitlement, PaymentLine

    granted = {
        (r["policy_id"], r["year"]): r["total"]
        for r in Entitlement.objects.filter(status__in=LIVE_ENTITLEMENT)
        .annotate(year=ExtractYear("granted_on"))
        .values("policy_id", "year")
        .annotate(total=Sum("amount"))
    }
    paid = {
        (r["entitlement__policy_id"], r["year"]): r["total"]
        for r in PaymentLine.objects.filter(status=PaymentStatus.PAID)
        .annotate(year=ExtractYear("batch__month"))
        .values("entitlement__policy_id", "year")
        .annotate(total=Sum("amount"))
    }
    from gongjiang.core.models import SkillLevel

    names = dict(SkillLevel.objects.values_list("code", "name"))
    out = []
    for policy in BenefitPolicy.objects.prefetch_related("versions", "budgets").order_by("code"):
        latest = max(policy.versions.all(), key=lambda v: v.number, default=None)
        spec = version_spec(latest, policy=policy) if latest else None
        budgets = {b.year: b.amount for b in policy.budgets.all()}
        years = sorted(
            {*budgets, *(y for p, y in granted if p == policy.pk), *(y for p, y in paid if p == policy.pk)}
        )
        rows = [
            BudgetRow(
                y,
                budgets.get(y),
                Decimal(granted.get((policy.pk, y)) or 0),
                Decimal(paid.get((policy.pk, y)) or 0),
            )
            for y in years
        ]
        levels = [(names.get(code, code), amount) for code, amount in (spec.levels.items() if spec else ())]
        out.append((policy, spec, rows, levels))
    return out


def grants_as_of():
    """When offers were last made (数据截至), or None."""
    from .models import GrantState

    return GrantState.objects.filter(pk=1).values_list("finished_at", flat=True).first()


@dataclass(frozen=True)
class IntegrityFindings:
    """What no manual review catches, each with the rows behind it."""

    shared_accounts: list[list]  # entitlements of different persons giving one bank account
    over_cap: list[dict]  # persons granted more than the year's cap across policies
    certificate_gone: list  # standing or paid entitlements whose level is no longer held


def integrity_findings() -> IntegrityFindings:
    """The city's integrity checks over every entitlement (set-based queries)."""
    from django.db.models import Count, Exists, OuterRef, Sum
    from django.db.models.functions import ExtractYear

    from gongjiang.talents.models import Certificate

    from .choices import LIVE_ENTITLEMENT
    from .models import Entitlement, YearlyCap

    standing = Entitlement.objects.filter(status__in=LIVE_ENTITLEMENT)
    shared = (
        standing.exclude(account_digest="")
        .values("account_digest")
        .annotate(persons=Count("person", distinct=True))
        .filter(persons__gt=1)
        .values_list("account_digest", flat=True)
    )
    groups: dict[str, list] = {}
    for e in standing.filter(account_digest__in=list(shared)).select_related("person", "policy"):
        groups.setdefault(e.account_digest, []).append(e)
    caps = dict(YearlyCap.objects.values_list("year", "amount"))
    over = []
    if caps:
        totals = (
            standing.annotate(year=ExtractYear("granted_on"))
            .filter(year__in=list(caps))
            .values("person", "person__name", "year")
            .annotate(total=Sum("amount"))
        )
        over = [row | {"cap": caps[row["year"]]} for row in totals if row["total"] > caps[row["year"]]]
    held = Certificate.objects.filter(person=OuterRef("person"), level=OuterRef("level")).exclude(
        status="revoked"
    )
    gone = list(
        Entitlement.objects.filter(status__in=(*LIVE_ENTITLEMENT,))
        .filter(~Exists(held))
        .select_related("person", "policy", "level")
        .prefetch_related("lines")
    )
    return IntegrityFindings(list(groups.values()), over, gone)


def application_detail(*, user, pk: int):
    """One application in scope; 404 (audited) outside it."""
    from gongjiang.accounts.shortcuts import get_scoped_or_404

    from .models import BenefitApplication

    queryset = BenefitApplication.objects.select_related("policy", "person", "level", "entitlement")
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def shortage_catalogue(*, year: int | None = None):
    """The shortage catalogue (public): the years it has, and one year's entries."""
    from .models import ShortageOccupation

    years = list(ShortageOccupation.objects.order_by("-year").values_list("year", flat=True).distinct())
    year = year if year in years else (years[0] if years else None)
    entries = (
        ShortageOccupation.objects.filter(year=year).select_related("occupation", "min_level", "domain")
        if year
        else ShortageOccupation.objects.none()
    )
    return years, year, entries.order_by("occupation_id")


@dataclass(frozen=True)
class WhatIf:
    draft: PolicySpec
    draft_result: object  # engine.Breakdown
    current: PolicySpec | None
    current_result: object | None
    regions: dict[str, str]
    levels: dict[str, str]


def policy_what_if(*, text: str, on: datetime.date) -> WhatIf:
    """A draft policy (or a draft version of one) read and evaluated beside the version now in
    force, writing nothing; SpecError when the draft is not a valid policy."""
    from gongjiang.core.models import Region, SkillLevel

    from .engine import breakdown
    from .services import known_codes
    from .spec import SpecError, specs_from_text

    specs = specs_from_text(text, known=known_codes())
    if len(specs) != 1:
        raise SpecError("试算一次只能对一个政策")
    draft = specs[0]
    current = next((spec for _p, spec in policies_in_force(on=on, code=draft.code)), None)
    return WhatIf(
        draft=draft,
        draft_result=breakdown(draft, on),
        current=current,
        current_result=breakdown(current, on) if current else None,
        regions=dict(Region.objects.values_list("code", "name")),
        levels=dict(SkillLevel.objects.values_list("code", "name")),
    )


def benefits_dashboard(*, region: str | None, year: int) -> dict:
    """For the targets dashboard: per policy, what was granted in ``year`` (standing entitlements,
    full amounts) and paid in ``year``'s batches, for the whole city or one region; per region; and
    the same two sums for every year up to ``year`` (from the first with any).
    City-wide figures, read through the scope rule as the platform itself (SYSTEM)."""
    from django.db.models import Count, Q, Sum

    from gongjiang.accounts.scope import SYSTEM, scope

    from .choices import LIVE_ENTITLEMENT, PaymentStatus
    from .models import Entitlement, PaymentLine

    every_entitlement = scope(Entitlement.objects.all(), SYSTEM).filter(
        status__in=LIVE_ENTITLEMENT, granted_on__year__lte=year
    )
    every_line = scope(PaymentLine.objects.all(), SYSTEM).filter(
        status=PaymentStatus.PAID, batch__month__year__lte=year
    )
    if region:
        area = Q(person__region_id=region) | Q(person__region__parent_id=region)
        every_entitlement = every_entitlement.filter(area)
        every_line = every_line.filter(
            Q(entitlement__person__region_id=region) | Q(entitlement__person__region__parent_id=region)
        )
    years: dict[int, list] = {}  # year -> [granted, paid], every year up to ``year``
    policies: dict[str, list] = {}  # name -> [count, granted, paid] in ``year``
    regions: dict[str, list] = {}  # name -> [granted, paid] in ``year``
    for r in every_entitlement.values("granted_on__year", "policy__name", "person__region__name").annotate(
        n=Count("pk"), total=Sum("amount")
    ):
        total = float(r["total"] or 0)
        years.setdefault(r["granted_on__year"], [0.0, 0.0])[0] += total
        if r["granted_on__year"] != year:
            continue
        row = policies.setdefault(r["policy__name"], [0, 0.0, 0.0])
        row[0] += r["n"]
        row[1] += total
        regions.setdefault(r["person__region__name"], [0.0, 0.0])[0] += total
    for r in every_line.values(
        "batch__month__year", "entitlement__policy__name", "entitlement__person__region__name"
    ).annotate(total=Sum("amount")):
        total = float(r["total"] or 0)
        years.setdefault(r["batch__month__year"], [0.0, 0.0])[1] += total
        if r["batch__month__year"] != year:
            continue
        policies.setdefault(r["entitlement__policy__name"], [0, 0.0, 0.0])[2] += total
        regions.setdefault(r["entitlement__person__region__name"], [0.0, 0.0])[1] += total
    by_policy = [
        {"label": name, "count": n, "granted": granted, "paid": paid}
        for name, (n, granted, paid) in sorted(policies.items())
    ]
    by_region = [
        {"label": name, "granted": granted, "paid": paid} for name, (granted, paid) in sorted(regions.items())
    ]
    by_year = [
        {"label": str(y), "granted": years.get(y, [0.0, 0.0])[0], "paid": years.get(y, [0.0, 0.0])[1]}
        for y in range(min(years, default=year), year + 1)
    ]
    return {"year": year, "by_policy": by_policy, "by_region": by_region, "by_year": by_year}


@dataclass(frozen=True)
class StaffCandidate:
    person: object
    level: str
    amount: Decimal


def staff_to_apply(*, user, policy, on: datetime.date) -> list[StaffCandidate]:
    """The staff of ``user``'s organisation who qualify for the 依申请 ``policy`` on ``on`` (the
    engine, set-based over the organisation's people) and have neither a standing entitlement of
    it nor an application in progress: whom the employer may apply for at once."""
    from gongjiang.core.models import SkillLevel
    from gongjiang.talents.models import Person

    from .choices import LIVE_ENTITLEMENT, ApplicationStatus
    from .engine import grants, version_in_force
    from .models import BenefitApplication, Entitlement

    version = version_in_force(list(policy.versions.all()), on)
    if version is None or not user.organisation_id:
        return []
    spec = version_spec(version, policy=policy)
    staff = "SELECT id FROM talents_person WHERE employer_id = %d" % int(user.organisation_id)
    found = dict(grants(spec, on, staff))
    busy = set(
        Entitlement.objects.filter(
            policy=policy, person_id__in=found, status__in=LIVE_ENTITLEMENT
        ).values_list("person_id", flat=True)
    ) | set(
        BenefitApplication.objects.filter(policy=policy, person_id__in=found)
        .exclude(status=ApplicationStatus.REJECTED)
        .values_list("person_id", flat=True)
    )
    persons = Person.objects.for_user(user).filter(pk__in=set(found) - busy).order_by("name", "pk")
    names = dict(SkillLevel.objects.values_list("code", "name"))
    return [
        StaffCandidate(p, names.get(found[p.pk], found[p.pk]), Decimal(str(spec.levels[found[p.pk]])))
        for p in persons
    ]
