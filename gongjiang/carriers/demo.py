"""Demo carriers for seed_demo: a few dozen across types, levels and statuses, each with the
history its status implies; some first recognised in 2026 (they count toward the target), some
before, one 市级 carrier upgraded to 省级 this year, a few waiting (one overdue) for the demo
accounts to act on."""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.core.models import CarrierType
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Person
from gongjiang.workflow.models import Event

from .choices import AssessmentResult, CarrierLevel, CarrierSource, CarrierStatus, EventAction
from .models import Carrier, CarrierAssessment, ExpertScore, allowed_levels
from .selectors import carriers_in_assessment, rule_for
from .workflows import CARRIER_WORKFLOW

NAMES = {
    "industry_education_base": "%s产教融合实训基地",
    "hs_training_base": "%s高技能人才培训基地",
    "skill_master_studio": "%s技能大师工作室",
    "rural_master_studio": "%s乡土人才大师工作室",
    "model_worker_studio": "%s劳模和工匠人才创新工作室",
    "public_training_base": "%s公共实训基地",
    "rural_craftsman_station": "%s乡村工匠工作站",
    "famous_teacher_studio": "%s名师工作室",
    "master_heritage_house": "%s大师传习所",
}
EXPERTS = ["王建华", "李卫东", "陈立新", "张海燕", "刘志强", "孙明"]

# (type, status, level, first recognition, later upgrade) — the shape of the demo set.
PLAN: list[tuple[str, str, str, datetime.date | None, tuple[str, datetime.date] | None]] = [
    (
        "skill_master_studio",
        "recognised",
        "city",
        datetime.date(2026, 3, 18),
        ("province", datetime.date(2026, 9, 8)),
    ),
    ("skill_master_studio", "recognised", "province", datetime.date(2021, 6, 10), None),
    (
        "skill_master_studio",
        "recognised",
        "city",
        datetime.date(2022, 11, 2),
        ("province", datetime.date(2025, 7, 1)),
    ),
    ("skill_master_studio", "recognised", "city", datetime.date(2024, 5, 20), None),
    ("skill_master_studio", "recognised", "city", datetime.date(2026, 5, 12), None),
    ("skill_master_studio", "recognised", "city", datetime.date(2026, 10, 9), None),
    ("skill_master_studio", "recognised", "national", datetime.date(2019, 12, 1), None),
    ("skill_master_studio", "revoked", "city", datetime.date(2021, 4, 2), None),
    ("skill_master_studio", "city_review", "", None, None),
    ("skill_master_studio", "county_review", "", None, None),
    ("hs_training_base", "recognised", "city", datetime.date(2023, 8, 15), None),
    ("hs_training_base", "recognised", "province", datetime.date(2020, 9, 1), None),
    ("hs_training_base", "recognised", "city", datetime.date(2026, 4, 22), None),
    ("hs_training_base", "county_review", "", None, None),
    ("hs_training_base", "rejected", "", None, None),
    ("industry_education_base", "recognised", "city", datetime.date(2026, 6, 30), None),
    ("industry_education_base", "recognised", "province", datetime.date(2022, 3, 9), None),
    ("industry_education_base", "city_review", "", None, None),
    ("industry_education_base", "returned", "", None, None),
    ("rural_master_studio", "recognised", "city", datetime.date(2025, 12, 30), None),
    ("rural_master_studio", "recognised", "city", datetime.date(2026, 7, 16), None),
    ("rural_master_studio", "county_review", "", None, None),
    ("model_worker_studio", "recognised", "city", datetime.date(2023, 4, 28), None),
    ("model_worker_studio", "recognised", "city", datetime.date(2026, 4, 28), None),
    ("model_worker_studio", "recognised", "national", datetime.date(2018, 4, 28), None),
    ("model_worker_studio", "revoked", "city", datetime.date(2020, 4, 28), None),
    ("model_worker_studio", "returned", "", None, None),
    ("public_training_base", "recognised", "province", datetime.date(2017, 10, 1), None),
    ("rural_craftsman_station", "recognised", "county", datetime.date(2025, 3, 3), None),
    ("rural_craftsman_station", "recognised", "city", datetime.date(2026, 8, 1), None),
    ("famous_teacher_studio", "recognised", "city", datetime.date(2024, 9, 10), None),
    ("master_heritage_house", "recognised", "city", datetime.date(2023, 6, 6), None),
    ("master_heritage_house", "rejected", "", None, None),
    ("competition_training_base", "recognised", "province", datetime.date(2024, 11, 11), None),
    ("industry_education_base", "county_review", "", None, None),
]
DEMO_RETURNED = 18  # PLAN rows placed where the demo accounts will find them
DEMO_OVERDUE = 13


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A working-hours moment of ``day``, never later than now."""
    return min(timezone.now(), _moment(day, rng))


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
    )


class _Demo:
    """Writes one demo carrier's rows and history, with the demo accounts as the actors where
    one of them owns the step (others are shown as 系统)."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today = rng, today
        users = {u.username: u for u in User.objects.filter(username__in=["city", "haizhou", "ganyu", "org"])}
        self.city = users.get("city")
        self.counties = {u.region_id: u for u in users.values() if u.role == Role.REGION_OPERATOR}
        self.org_user = users.get("org")

    def event(
        self, carrier, day, action, before, after, note, *, actor=None, level="", amount=None, at=None
    ) -> None:
        Event.objects.create(
            workflow=CARRIER_WORKFLOW.key,
            content_type=ContentType.objects.get_for_model(Carrier),
            object_id=carrier.pk,
            at=at or _at(min(day, self.today), self.rng),
            actor=actor,
            action=action,
            action_label=EventAction(action).label,
            from_status=before,
            to_status=after,
            level=level or carrier.applied_level,
            amount=amount,
            note=note,
        )

    def wait(self, carrier, status: str, since: datetime.date, days: int) -> Carrier:
        Carrier.objects.filter(pk=carrier.pk).update(
            status=status, step_started_on=since, due_on=since + datetime.timedelta(days=days)
        )
        return carrier

    def make(self, type_code, status, level, first, upgrade, host, leader, *, days_ago=None) -> Carrier:
        rng, today, rule = self.rng, self.today, rule_for(type_code)
        S = CarrierStatus
        short = (
            leader.name
            if type_code.endswith("studio")
            else host.name.removeprefix("连云港").removesuffix("有限公司")
        ).removesuffix(CarrierType.objects.get(pk=type_code).name)
        if first:
            declared = first - datetime.timedelta(days=rng.randint(70, 120))
        else:
            default = {"county_review": rng.randint(3, 12), "city_review": 20, "returned": 12, "rejected": 60}
            declared = today - datetime.timedelta(days=days_ago or default[status])
        org_actor = self.org_user if self.org_user and self.org_user.organisation_id == host.pk else None
        county = self.counties.get(host.region_id)
        carrier = Carrier.objects.create(
            name=NAMES[type_code] % short if type_code in NAMES else "%s培养载体" % short,
            carrier_type_id=type_code,
            host=host,
            leader=leader,
            region_id=host.region_id,
            domain_id=host.domain_id or "advanced_manufacturing",
            summary="依托%s建设，开展技能培训、技艺传承和技术攻关，年培训职工约%d人次。"
            % (host.name, rng.randint(80, 600)),
            applied_level=_applied_level(type_code, CarrierLevel.CITY if upgrade else level),
            source=CarrierSource.DECLARED,
            declared_by=org_actor,
            submitted_at=_at(declared, rng),
        )
        # The declaration's history entry is the moment of 申报时间, not another draw of the day.
        self.event(
            carrier,
            declared,
            EventAction.DECLARE,
            "",
            S.COUNTY_REVIEW,
            "单位在线申报",
            actor=org_actor,
            at=carrier.submitted_at,
        )
        if status == "county_review":
            return self.wait(carrier, S.COUNTY_REVIEW, declared, rule.county_review_days)
        if status == "rejected":
            self.event(
                carrier,
                declared + datetime.timedelta(days=9),
                EventAction.REJECT,
                S.COUNTY_REVIEW,
                S.REJECTED,
                "依托单位近三年未开展相关培训，不符合申报条件",
                actor=county,
            )
            Carrier.objects.filter(pk=carrier.pk).update(status=S.REJECTED)
            return carrier
        passed = declared + datetime.timedelta(days=rng.randint(5, 12))
        self.event(
            carrier,
            passed,
            EventAction.COUNTY_PASS,
            S.COUNTY_REVIEW,
            S.CITY_REVIEW,
            "材料齐全，同意推荐",
            actor=county,
        )
        if status == "returned":
            returned = passed + datetime.timedelta(days=3)
            self.event(
                carrier,
                returned,
                EventAction.RETURN,
                S.CITY_REVIEW,
                S.RETURNED,
                "请补充近三年培训台账和场地设备清单",
                actor=self.city,
            )
            Carrier.objects.filter(pk=carrier.pk).update(returned_from=S.CITY_REVIEW, city_round=1)
            return self.wait(carrier, S.RETURNED, returned, rule.correction_days)
        Carrier.objects.filter(pk=carrier.pk).update(city_round=1)
        if self.city is not None:
            for name in rng.sample(EXPERTS, rule.min_expert_scores - (1 if status == "city_review" else 0)):
                score = Decimal(rng.randint(72, 95))
                ExpertScore.objects.create(
                    carrier=carrier, round=1, expert_name=name, score=score, recorded_by=self.city
                )
                self.event(
                    carrier,
                    passed + datetime.timedelta(days=10),
                    EventAction.SCORE,
                    S.CITY_REVIEW,
                    S.CITY_REVIEW,
                    "%s：%s分" % (name, score),
                    actor=self.city,
                )
        if status == "city_review":
            return self.wait(carrier, S.CITY_REVIEW, passed, rule.city_review_days)
        first_level = CarrierLevel.CITY if upgrade else level
        grant = Decimal(rng.choice([50000, 100000, 200000, 300000]))
        self.event(
            carrier,
            first,
            EventAction.RECOGNISE,
            S.CITY_REVIEW,
            S.RECOGNISED,
            "专家评审通过，予以认定",
            actor=self.city,
            level=first_level,
            amount=grant,
        )
        fields = {
            "status": S.RECOGNISED,
            "level": first_level,
            "recognised_on": first,
            "first_recognised_on": first,
            "city_level_since": first if first_level != CarrierLevel.COUNTY else None,
            "grant_amount": grant,
            "due_on": None,
            "step_started_on": first,
        }
        if upgrade:
            new_level, on = upgrade
            fields.update(level=new_level, recognised_on=on)
            self.event(
                carrier,
                on,
                EventAction.UPGRADE,
                S.RECOGNISED,
                S.RECOGNISED,
                "市级 → %s；经省级主管部门认定" % CarrierLevel(new_level).label,
                actor=self.city,
                level=new_level,
            )
        last_year = first.year + 2 if status == "revoked" else today.year - 1
        if status == "revoked":
            revoked = datetime.date(last_year + 1, 3, 20)
            reason = "年度考核不合格，整改后仍未达到要求"
            fields.update(status=S.REVOKED, revoked_on=revoked, revoked_reason=reason)
            self.event(carrier, revoked, EventAction.REVOKE, S.RECOGNISED, S.REVOKED, reason, actor=self.city)
        Carrier.objects.filter(pk=carrier.pk).update(**fields)
        return carrier

    def assess_all(self) -> None:
        """Every recognised year's assessment, once all carriers exist (the 优秀 share needs the
        whole base); a revoked carrier failed the year before its revocation."""
        if self.city is None:
            return
        carriers = Carrier.objects.exclude(first_recognised_on=None).order_by("id")
        for carrier in carriers:
            last = carrier.revoked_on.year - 1 if carrier.revoked_on else self.today.year - 1
            for year in range(carrier.first_recognised_on.year, last + 1):
                if carrier.revoked_on and year == last:
                    result = AssessmentResult.FAILED
                elif self.rng.random() < 0.5 and _excellent_left(carrier.carrier_type_id, year):
                    result = AssessmentResult.EXCELLENT
                else:
                    result = AssessmentResult.QUALIFIED
                CarrierAssessment.objects.create(
                    carrier=carrier, year=year, result=result, assessed_by=self.city
                )
                self.event(
                    carrier,
                    datetime.date(year + 1, 3, 1),
                    EventAction.ASSESS,
                    CarrierStatus.RECOGNISED,
                    CarrierStatus.RECOGNISED,
                    "%d年度考核：%s" % (year, AssessmentResult(result).label),
                    actor=self.city,
                    level=carrier.level,
                )


def _applied_level(type_code: str, level: str) -> str:
    allowed = allowed_levels(CarrierType.objects.get(pk=type_code))
    if level:
        return level
    return CarrierLevel.CITY if CarrierLevel.CITY in allowed else allowed[0]


def _excellent_left(type_code: str, year: int) -> bool:
    """Whether the type still has an 优秀 place for ``year`` (the demo keeps to the rule too)."""
    rule = rule_for(type_code)
    base = carriers_in_assessment(carrier_type_id=type_code, year=year).count()
    taken = CarrierAssessment.objects.filter(
        carrier__carrier_type_id=type_code, year=year, result=AssessmentResult.EXCELLENT
    ).count()
    return taken < math.floor(rule.excellent_share * base)


def carriers_generate(rng: random.Random, *, today: datetime.date | None = None) -> int:
    """Write the demo carriers once (nothing when some exist); returns how many. Needs the demo
    organisations, persons and accounts."""
    if Carrier.objects.exists():
        return 0
    today = today or timezone.localdate()
    hosts = list(
        Organisation.objects.filter(kind=OrgKind.ENTERPRISE)
        .annotate(high=Count("staff", filter=Q(staff__is_high_skilled=True)))
        .filter(high__gt=0)
        .order_by("id")
    )
    if not hosts:
        return 0
    demo = _Demo(rng, today)
    demo_org = demo.org_user.organisation if demo.org_user and demo.org_user.organisation_id else hosts[0]
    haizhou = [h for h in hosts if h.region_id == "320706"] or hosts
    used: set[tuple[str, int]] = set()
    created = 0
    for index, (type_code, status, level, first, upgrade) in enumerate(PLAN):
        host = rng.choice(hosts)
        days_ago = None
        if index == DEMO_RETURNED:
            host = demo_org  # waiting for the demo "org" account's 补正
        elif index == DEMO_OVERDUE:
            host = rng.choice(haizhou)  # overdue at the 海州 county review
            days_ago = rule_for(type_code).county_review_days + 9
        if type_code == "public_training_base":
            host = Organisation.objects.filter(kind=OrgKind.PUBLIC_TRAINING_BASE).first() or host
        rule = rule_for(type_code)
        leaders = Person.objects.filter(employer=host, is_high_skilled=True)
        if not leaders.exists():
            leaders = Person.objects.filter(region_id=host.region_id, is_high_skilled=True)
        if rule.min_leader_level is not None:
            leaders = leaders.filter(highest_level__rank__gte=rule.min_leader_level.rank)
        candidates = [p for p in leaders.order_by("id")[:50] if (type_code, p.pk) not in used]
        if not candidates:
            continue
        leader = rng.choice(candidates)
        used.add((type_code, leader.pk))
        demo.make(type_code, status, level, first, upgrade, host, leader, days_ago=days_ago)
        created += 1
    demo.assess_all()
    return created
