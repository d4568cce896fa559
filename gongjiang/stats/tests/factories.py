"""Crafted talent data for the dashboard's tests: the edge cases of the definitions, by name, and
a seeded crowd of ordinary persons around them."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.talents.models import Person
from gongjiang.talents.services import PersonData, person_update
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

D = datetime.date
REGIONS = ["320706", "320707", "320722", "320771", "LYG-XW"]
LEVELS = ["GRADE5", "GRADE4", "GRADE3", "GRADE2", "GRADE1"]
DOMAINS = ["advanced_manufacturing", "digital_economy", "transportation", None]
OCCUPATIONS = ["6-18-01", "6-18-02", "4-02-06", None]


@dataclass
class Crafted:
    """The named edge cases (each a Person) and every person made."""

    persons: dict[str, Person] = field(default_factory=dict)
    everyone: list[Person] = field(default_factory=list)


def person(crafted: Crafted, name: str | None = None, **kwargs) -> Person:
    p = PersonFactory(**kwargs)
    crafted.everyone.append(p)
    if name:
        crafted.persons[name] = p
    return p


def cert(p: Person, level: str | None, issued: D, **kwargs):
    cert_type = kwargs.pop("cert_type_id", "special_ability" if level is None else "skill_level")
    if level in ("SPECIAL", "CHIEF"):
        cert_type = "appointment"
    return CertificateFactory(person=p, level_id=level, issue_date=issued, cert_type_id=cert_type, **kwargs)


def build_crafted(*, actor, crowd: int = 80, seed: int = 5) -> Crafted:
    """The edge cases of the definitions plus ``crowd`` random persons (all dates in the past)."""
    today = timezone.localdate()
    crafted = Crafted()
    chain = OrganisationFactory(
        name="链主测试港务集团", region_id="320707", is_chain_leader=True, is_state_owned=True
    )
    special = OrganisationFactory(name="专精特新测试科技", region_id="320706", is_specialised=True)
    school = OrganisationFactory(name="测试技师学院", region_id="320706", kind=OrgKind.TECHNICAL_SCHOOL)
    plain = OrganisationFactory(name="普通测试企业", region_id="320722")
    employers = [chain, special, school, plain, None]

    # Two high certificates: counted once, in the month of the first.
    p = person(crafted, "two_high", region_id="320707", employer=chain, domain_id="transportation")
    cert(p, "GRADE3", D(2026, 3, 5))
    cert(p, "GRADE2", D(2026, 7, 1))
    # A revoked high certificate counts for nothing; the valid lower one keeps the person skilled.
    p = person(crafted, "revoked", region_id="320707", employer=chain)
    cert(p, "GRADE3", D(2026, 2, 10), status="revoked", revoked_reason="核查不符")
    cert(p, "GRADE4", D(2024, 5, 1))
    # Only a 专项职业能力 certificate: not skilled at all.
    p = person(crafted, "special_only", region_id="320706")
    cert(p, None, D(2026, 4, 1))
    # 专项职业能力 next to a 初级工 certificate: skilled, not high.
    p = person(crafted, "special_and_grade5", region_id="320706", employer=special)
    cert(p, None, D(2026, 5, 1))
    cert(p, "GRADE5", D(2022, 5, 1))
    # Introduced in 2026 with a 2020 技师 certificate: new, from the introduction date.
    p = person(crafted, "introduced_2026", region_id="320722", employer=plain, introduced_on=D(2026, 4, 20))
    cert(p, "GRADE2", D(2020, 5, 1))
    # Introduced in 2025 with an older certificate: high, but not new.
    p = person(crafted, "introduced_2025", region_id="320722", introduced_on=D(2025, 6, 1))
    cert(p, "GRADE3", D(2019, 3, 1))
    # 2025-12-31 against 2026-01-01.
    p = person(crafted, "on_2025_12_31", region_id="320771", employer=special)
    cert(p, "GRADE3", D(2025, 12, 31))
    p = person(crafted, "on_2026_01_01", region_id="320771", employer=special)
    cert(p, "GRADE3", D(2026, 1, 1))
    # An expired high certificate (valid until mid 2026) counts for nothing today.
    p = person(crafted, "expired", region_id="320706", employer=school)
    cert(p, "GRADE3", D(2026, 2, 1), valid_until=min(D(2026, 6, 30), today - datetime.timedelta(days=1)))
    cert(p, "GRADE4", D(2023, 2, 1))
    # An enterprise appointment as 特级技师 (counts at its level).
    p = person(crafted, "appointed", region_id="320707", employer=chain, occupation_id="6-18-02")
    cert(p, "GRADE1", D(2018, 1, 1))
    cert(p, "SPECIAL", D(2026, 8, 1))
    # No certificate: not skilled.
    person(crafted, "no_certificate", region_id="320706")
    # Moves from 海州区 to 赣榆区 after becoming high-skilled in 2026 Q2.
    p = person(crafted, "mover", region_id="320706", employer=special, domain_id="digital_economy")
    cert(p, "GRADE1", D(2026, 5, 10))
    person_update(
        actor=actor,
        person=p,
        data=PersonData(
            name=p.name,
            region_id="320707",
            employer_id=chain.pk,
            occupation_id=p.occupation_id,
            domain_id=p.domain_id,
            introduced_on=p.introduced_on,
        ),
    )
    crafted.persons["mover"].refresh_from_db()

    rng = random.Random(seed)
    start = D(2012, 1, 1)
    span = (today - start).days
    for _ in range(crowd):
        p = person(
            crafted,
            region_id=rng.choice(REGIONS),
            employer=rng.choice(employers),
            domain_id=rng.choice(DOMAINS),
            occupation_id=rng.choice(OCCUPATIONS),
            introduced_on=start + datetime.timedelta(days=rng.randrange(span))
            if rng.random() < 0.1
            else None,
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            issued = start + datetime.timedelta(days=rng.randrange(span))
            if rng.random() < 0.4:  # many in 2026, for the months and quarters
                issued = D(2026, 1, 1) + datetime.timedelta(
                    days=rng.randrange((today - D(2026, 1, 1)).days + 1)
                )
            extra = {}
            if rng.random() < 0.08:
                extra = {"status": "revoked", "revoked_reason": "核查不符"}
            elif rng.random() < 0.05:
                extra = {"valid_until": issued + datetime.timedelta(days=rng.randrange(1, 900))}
            level = rng.choice([*LEVELS, None]) if rng.random() < 0.95 else "SPECIAL"
            cert(p, level, issued, **extra)
    return crafted
