"""Writes of organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope
from gongjiang.accounts.services import audit_record, model_changes
from gongjiang.core.validators import normalise_uscc

from .models import Organisation, WageReport, WageSample
from .signals import organisations_changed

FIELDS = (
    "name",
    "uscc",
    "kind",
    "region_id",
    "domain_id",
    "size",
    "is_chain_leader",
    "is_industry_leader",
    "is_specialised",
    "is_state_owned",
    "address",
    "contact_name",
)


def _snapshot(org: Organisation) -> dict:
    return {f: getattr(org, f) for f in FIELDS}


@transaction.atomic
def organisation_create(*, actor: User, **fields) -> Organisation:
    """Register an organisation; its credit code must be valid and not yet registered."""
    fields["uscc"] = normalise_uscc(fields.get("uscc", ""))
    if Organisation.objects.filter(uscc=fields["uscc"]).exists():
        raise ValidationError({"uscc": "该统一社会信用代码已登记"})
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    ensure_in_scope(org, actor, "add")
    audit_record(actor=actor, action="organisation.create", obj=org, changes=_snapshot(org))
    return org


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _snapshot(org)
    if "uscc" in fields:
        fields["uscc"] = normalise_uscc(fields["uscc"])
        if Organisation.objects.filter(uscc=fields["uscc"]).exclude(pk=org.pk).exists():
            raise ValidationError({"uscc": "该统一社会信用代码已登记"})
    for name, value in fields.items():
        setattr(org, name, value)
    org.full_clean()
    org.save()
    ensure_in_scope(org, actor, "change")
    audit_record(
        actor=actor, action="organisation.update", obj=org, changes=model_changes(before, _snapshot(org))
    )
    organisations_changed.send(sender=Organisation)
    return org


# --- wage reports (措施七) ------------------------------------------------------------------------

WAGE_FIELDS = (
    "staff_count",
    "staff_avg_wage",
    "skilled_count",
    "skilled_avg_wage",
    "high_skilled_count",
    "high_skilled_avg_wage",
    "principal_count",
    "principal_avg_wage",
    "senior_title_count",
    "senior_title_avg_wage",
    "has_annuity",
)


def wage_report_check(*, organisation: Organisation, year: int, values: dict) -> None:
    """Refuse a report that cannot be right (``wages.report_problems``) or that is not an
    enterprise's, with the reasons at their fields."""
    from .choices import OrgKind
    from .selectors import minimum_annual_wage
    from .wages import report_problems

    errors: dict[str, list[str]] = {}
    if organisation.kind != OrgKind.ENTERPRISE:
        errors.setdefault("organisation", []).append("只有企业报送工资情况")
    for problem in report_problems(values, minimum=minimum_annual_wage(year)):
        errors.setdefault(problem.field, []).append(problem.message)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def wage_report_save(*, actor: User, organisation: Organisation, year: int, **values) -> WageReport:
    """File or correct ``organisation``'s wage report of ``year`` (one per enterprise and year):
    checked for plausibility, in the actor's scope, audited with what changed."""
    values = {name: values.get(name) for name in WAGE_FIELDS}
    values["has_annuity"] = bool(values["has_annuity"])
    for name in ("principal_count", "senior_title_count"):
        values[name] = values[name] or 0
    wage_report_check(organisation=organisation, year=year, values=values)
    report = WageReport.objects.select_for_update().filter(organisation=organisation, year=year).first()
    action = "wagereport.update" if report else "wagereport.create"
    before = {name: getattr(report, name) for name in WAGE_FIELDS} if report else {}
    if report is None:
        report = WageReport(organisation=organisation, year=year)
    for name, value in values.items():
        setattr(report, name, value)
    report.submitted_by = actor
    report.full_clean()
    report.save()
    ensure_in_scope(report, actor, "change" if before else "add")
    after = {name: getattr(report, name) for name in WAGE_FIELDS}
    audit_record(
        actor=actor, action=action, obj=report, changes=model_changes(before, after) if before else after
    )
    return report


@transaction.atomic
def wage_sample_draw(
    *, actor: User, year: int, size: int, region: str | None = None, state_owned: bool | None = None
) -> WageSample:
    """Draw ``size`` enterprises at random from the ``year`` reports in the actor's scope whose
    skilled workers' wage growth fell short, for inspection. The seed comes from the operating
    system and is recorded with who drew, when, the list drawn from and the result, so the draw
    can be repeated (``random.Random(seed).sample`` of the list ordered by report id)."""
    import random
    import secrets

    from .selectors import wage_short_list

    if size < 1:
        raise ValidationError({"size": "抽取数量至少为 1"})
    if actor.role == Role.REGION_OPERATOR:
        region = actor.region_id  # a county draws from its own enterprises only
    population = list(
        wage_short_list(user=actor, year=year, region=region, state_owned=state_owned).values_list(
            "pk", flat=True
        )
    )
    if not population:
        raise ValidationError("%d年度没有工资增幅未达标的企业，无需抽查" % year)
    seed = secrets.randbits(62)
    # A seeded generator on purpose: the draw must be repeatable from its recorded seed.
    chosen = sorted(random.Random(seed).sample(population, min(size, len(population))))  # noqa: S311
    sample = WageSample.objects.create(
        year=year,
        region_id=region,
        state_owned=state_owned,
        population=len(population),
        size=len(chosen),
        seed=seed,
        drawn_by=actor,
    )
    sample.reports.set(chosen)
    audit_record(
        actor=actor,
        action="wagesample.draw",
        obj=sample,
        changes={
            "year": year,
            "region": region,
            "state_owned": state_owned,
            "population": len(population),
            "seed": seed,
            "reports": chosen,
        },
    )
    return sample
