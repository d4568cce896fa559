"""python manage.py seed_demo --persons N [--password P] [--seed S]

Realistic synthetic data: organisations in every region, persons with valid (synthetic) ID numbers,
certificates climbing the 新八级 ladder from 2010 to today with enough 2026 attainments for the
targets to mean something, and the demo accounts of DESIGN.md. Written in bulk, encrypted like
production rows. Run again, it adds no data and only resets the demo accounts.
"""

from __future__ import annotations

import datetime
import random
import secrets
import string

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.accounts.services import audit_record
from gongjiang.benefits.demo import seed_benefits
from gongjiang.carriers.demo import carriers_generate
from gongjiang.common.demo import make_name, make_phone, make_resident_id, make_uscc
from gongjiang.core.crypto import digest, encrypt
from gongjiang.core.models import Domain, Occupation, Region
from gongjiang.evaluation.demo import seed_evaluation
from gongjiang.honours.demo import seed_honours
from gongjiang.orgs.choices import OrgKind, OrgSize
from gongjiang.orgs.demo import seed_wages
from gongjiang.orgs.models import Organisation
from gongjiang.plan.demo import seed_plan
from gongjiang.schools.demo import seed_schools
from gongjiang.stats.demo import generate as stats_demo
from gongjiang.talents.choices import CertificateSource, CertificateStatus
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import persons_refresh_derived, resident_id_digest
from gongjiang.training.demo import seed_training

REGION_WEIGHTS = {
    "320706": 26,
    "320707": 18,
    "320722": 14,
    "320723": 10,
    "320724": 9,
    "320703": 6,
    "320771": 8,
    "LYG-XW": 5,
    "LYG-GX": 3,
    "LYG-YTS": 1,
}
REGION_ID_CODES = {"320771": "320706", "LYG-XW": "320703", "LYG-GX": "320706", "LYG-YTS": "320706"}
# Invented trade names: demo data must not look like real companies.
COMPANY_WORDS = [
    "瀚屿",
    "澄川",
    "岚舟",
    "砚石",
    "朗峤",
    "沐港",
    "曜川",
    "澜汀",
    "禾屿",
    "青岑",
    "泓舸",
    "苍澜",
    "屿帆",
    "璟岬",
    "霁川",
    "渚云",
]
COMPANY_TRADES = {
    "advanced_manufacturing": ["石化", "新材料", "医药", "装备制造", "钢铁"],
    "digital_economy": ["软件", "信息技术", "电子"],
    "low_altitude_economy": ["无人机", "通用航空"],
    "transportation": ["港口物流", "船务", "汽车维修"],
    "agriculture_rural": ["农业科技", "水产"],
    "life_services": ["养老服务", "家政服务", "餐饮管理"],
}
ISSUERS = [
    "连云港市职业技能鉴定指导中心",
    "连云港技师学院",
    "江苏省连云港中等专业学校",
    "连云港港口集团评价中心",
    "赣榆技工学校",
]
# Highest level reached, as shares of people: a pyramid with about a third high-skilled.
LEVEL_SHARES = [
    ("GRADE5", 30),
    ("GRADE4", 35),
    ("GRADE3", 22),
    ("GRADE2", 9),
    ("GRADE1", 3),
    ("SPECIAL", 0.7),
    ("CHIEF", 0.3),
]
LADDER = ["GRADE5", "GRADE4", "GRADE3", "GRADE2", "GRADE1", "SPECIAL", "CHIEF"]
DIGIT = {"GRADE5": "5", "GRADE4": "4", "GRADE3": "3", "GRADE2": "2", "GRADE1": "1"}
DEPARTMENTS = [
    "连云港市人力资源和社会保障局",
    "连云港市教育局",
    "连云港市发展和改革委员会",
    "连云港市工业和信息化局",
]
TODAY = datetime.date.today()


class Command(BaseCommand):
    help = "生成演示数据和演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=5000)
        parser.add_argument("--password", default=None, help="所有演示账号的密码（仅演示模式可用）")
        parser.add_argument("--seed", type=int, default=20261124)

    def handle(self, *args, persons: int, password: str | None, seed: int, **options):
        if password and not settings.GONGJIANG_DEMO:
            raise CommandError("只有演示模式（DEBUG=1 或 GONGJIANG_DEMO=1）才能为账号设置已知密码")
        rng = random.Random(seed)
        if Person.objects.exists():
            self.stdout.write("数据库中已有人员数据，不再生成；只重置演示账号。")
        else:
            started = timezone.now()
            with transaction.atomic():
                counts = self._generate(rng, persons)
                counts["stats"] = stats_demo(rng)
                audit_record(actor=None, username="seed_demo", action="seed_demo", changes=counts)
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(
                "已生成：单位 %(orgs)d 个，人员 %(persons)d 人，证书 %(certificates)d 张，"
                "其中高技能人才 %(high)d 人（2026 年新增 %(new_2026)d 人）。"
                % counts
                + f"用时 {seconds:.1f} 秒。"
            )
        generated = password is None
        password = password or _random_password()
        self._accounts(rng, password, must_change=generated)
        carriers_generate(rng)  # once, after the accounts that act in the carriers' histories
        seed_evaluation(rng)  # filings, batches, a published batch and appointments (needs the accounts)
        seed_benefits()  # the demo policies (marked 演示) and today's 免申即享 offers
        seed_training()  # a small fixed training catalogue and the demo enterprise's training record
        seed_plan()  # the ten measures, their departments, a few tasks, reports, 督办 and funding
        # a 市状元大赛 with published results and two 五一劳动奖章 rounds (needs the accounts)
        seed_honours(rng)
        # Two years of enterprises' wage reports; the org account's enterprise only last year's.
        seed_wages(own=User.objects.get(username="org").organisation)
        self.stdout.write(
            "\n演示账号（密码均为：%s%s）：" % (password, "，首次登录须修改" if generated else "")
        )
        for username, role, scope in self._account_rows():
            self.stdout.write(f"  {username:<8} {role:<8} {scope}")

    def _generate(self, rng: random.Random, n: int) -> dict[str, int]:
        regions = [code for code in REGION_WEIGHTS if Region.objects.filter(code=code).exists()]
        weights = [REGION_WEIGHTS[c] for c in regions]
        domains = list(Domain.objects.values_list("code", flat=True))
        occupations = list(Occupation.objects.filter(kind="minor").values_list("code", "name"))
        now = timezone.now()

        orgs: list[Organisation] = []
        used_codes: set[str] = set()

        def new_org(name: str, kind: str, region: str, domain: str | None, **flags) -> Organisation:
            code = make_uscc(
                rng,
                region_code=REGION_ID_CODES.get(region, region),
                category="11" if kind == OrgKind.DEPARTMENT else "91",
            )
            while code in used_codes:
                code = make_uscc(rng, region_code=REGION_ID_CODES.get(region, region))
            used_codes.add(code)
            org = Organisation(name=name, uscc=code, kind=kind, region_id=region, domain_id=domain, **flags)
            orgs.append(org)
            return org

        for name in DEPARTMENTS:
            new_org(name, OrgKind.DEPARTMENT, "320706", None)
        schools = [
            ("连云港技师学院", OrgKind.TECHNICAL_SCHOOL, "320706"),
            ("江苏省连云港中等专业学校", OrgKind.VOCATIONAL_SCHOOL, "320706"),
            ("赣榆技工学校", OrgKind.TECHNICAL_SCHOOL, "320707"),
            ("东海中等专业学校", OrgKind.VOCATIONAL_SCHOOL, "320722"),
            ("连云港市职业技能鉴定指导中心", OrgKind.EVALUATION_INSTITUTION, "320706"),
            ("连云港市公共实训基地", OrgKind.PUBLIC_TRAINING_BASE, "320706"),
            ("连云港市焊接行业协会", OrgKind.ASSOCIATION, "320706"),
            ("灌云县职业培训中心", OrgKind.TRAINING_INSTITUTION, "320723"),
        ]
        for name, kind, region in schools:
            new_org(name, kind, region, None, size=OrgSize.MEDIUM)
        enterprises: dict[str, list[Organisation]] = {code: [] for code in regions}
        names: set[str] = set()
        for i in range(max(30, n // 40)):
            region = rng.choices(regions, weights)[0]
            domain = rng.choice(domains)
            while True:
                name = "连云港%s%s有限公司" % (
                    rng.choice(COMPANY_WORDS) + rng.choice(string.ascii_uppercase[:6])
                    if i > 200
                    else rng.choice(COMPANY_WORDS),
                    rng.choice(COMPANY_TRADES.get(domain, ["科技"])),
                )
                name = name if name not in names else name.replace("有限公司", "%d号有限公司" % i)
                if name not in names:
                    break
            names.add(name)
            org = new_org(
                name,
                OrgKind.ENTERPRISE,
                region,
                domain,
                size=rng.choices(
                    [OrgSize.LARGE, OrgSize.MEDIUM, OrgSize.SMALL, OrgSize.MICRO], [5, 20, 50, 25]
                )[0],
                is_chain_leader=rng.random() < 0.04,
                is_industry_leader=rng.random() < 0.06,
                is_specialised=rng.random() < 0.12,
                is_state_owned=rng.random() < 0.08,
            )
            enterprises[region].append(org)
        Organisation.objects.bulk_create(orgs, batch_size=1000)

        seen: set[str] = set()
        persons: list[Person] = []
        plans: list[tuple[str, datetime.date, list[tuple[str, datetime.date]]]] = []
        levels, shares = zip(*LEVEL_SHARES, strict=True)
        for _ in range(n):
            region = rng.choices(regions, weights)[0]
            number = make_resident_id(
                rng, address_code=REGION_ID_CODES.get(region, region) if rng.random() < 0.8 else None
            )
            while number in seen:
                number = make_resident_id(rng)
            seen.add(number)
            birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            employer = rng.choice(enterprises[region] or orgs[4:])
            occupation = rng.choice(occupations) if occupations else (None, "")
            phone = make_phone(rng)
            introduced = None
            if rng.random() < 0.05:
                introduced = datetime.date(
                    rng.randint(2015, TODAY.year), rng.randint(1, 12), rng.randint(1, 28)
                )
                introduced = min(introduced, TODAY)
            persons.append(
                Person(
                    name=make_name(rng),
                    id_cipher=encrypt(number),
                    id_digest=resident_id_digest(number),
                    phone_cipher=encrypt(phone),
                    phone_digest=digest(phone),
                    birth_date=birth,
                    gender="M" if int(number[16]) % 2 else "F",
                    region_id=region,
                    employer=employer,
                    occupation_id=occupation[0],
                    domain_id=employer.domain_id or rng.choice(domains),
                    introduced_on=introduced,
                )
            )
            plans.append((occupation[1], birth, self._ladder(rng, rng.choices(levels, shares)[0], birth)))
        Person.objects.bulk_create(persons, batch_size=2000)

        certificates: list[Certificate] = []
        serial = 0
        for person, (occupation_name, _birth, steps) in zip(persons, plans, strict=True):
            for level, issued in steps:
                serial += 1
                issuer = rng.choice(ISSUERS)
                if level in DIGIT:
                    cert_type = "skill_level" if issued.year >= 2020 else "qualification"
                    number = (
                        f"Y32{issued.year % 100:02d}{serial:010d}{DIGIT[level]}{serial % 1000000:06d}"
                        if cert_type == "skill_level"
                        else f"{issued.year}{serial:011d}{DIGIT[level]}"
                    )
                else:
                    cert_type, issuer = "appointment", person.employer.name
                    number = f"PR{issued.year}{serial:08d}"
                certificates.append(
                    Certificate(
                        person=person,
                        cert_type_id=cert_type,
                        level_id=level,
                        occupation_id=person.occupation_id,
                        occupation_name=occupation_name,
                        number=number[:40],
                        issuer=issuer,
                        issue_date=issued,
                        source=CertificateSource.IMPORT,
                    )
                )
            if rng.random() < 0.06:
                serial += 1
                certificates.append(
                    Certificate(
                        person=person,
                        cert_type_id="special_ability",
                        level_id=None,
                        occupation_name="专项职业能力："
                        + rng.choice(["电子商务", "无人机操控", "中式面点", "养老护理"]),
                        number=f"Z32{serial:012d}",
                        issuer="连云港市职业技能鉴定指导中心",
                        issue_date=_random_date(rng, datetime.date(2016, 1, 1), TODAY),
                        source=CertificateSource.IMPORT,
                    )
                )
        revoked = rng.sample(range(len(certificates)), k=max(1, len(certificates) // 100))
        for index in revoked:
            certificates[index].status = CertificateStatus.REVOKED
            certificates[index].revoked_reason = "核查发现证书信息与档案不符"
            certificates[index].revoked_at = now
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        persons_refresh_derived(where_sql="talents_person.id >= %s", params=[persons[0].pk])
        seed_schools(rng)
        return {
            "orgs": len(orgs),
            "persons": len(persons),
            "certificates": len(certificates),
            "high": Person.objects.filter(is_high_skilled=True).count(),
            "new_2026": Person.objects.filter(high_skilled_since__year=2026).count(),
        }

    def _ladder(self, rng: random.Random, top: str, birth: datetime.date) -> list[tuple[str, datetime.date]]:
        """Certificates climbing to ``top``: a rung every few years, the last one between 2010 and
        today, with a fair share of first high-skilled attainments in 2026."""
        rungs = LADDER[: LADDER.index(top) + 1]
        rungs = rungs[-rng.choice([1, 2, 2, 3]) :]
        earliest = max(
            datetime.date(2010, 1, 1),
            birth.replace(year=birth.year + 18)
            if birth.month != 2 or birth.day != 29
            else datetime.date(birth.year + 18, 3, 1),
        )
        if earliest > TODAY:
            earliest = TODAY - datetime.timedelta(days=30)
        if top in ("GRADE3", "GRADE2") and rng.random() < 0.25:
            last = _random_date(rng, datetime.date(2026, 1, 1), TODAY)
        else:
            last = _random_date(rng, earliest, TODAY)
        steps = []
        when = last
        for level in reversed(rungs):
            steps.append((level, max(when, earliest)))
            when = when - datetime.timedelta(days=rng.randint(500, 1500))
        return list(reversed(steps))

    def _accounts(self, rng: random.Random, password: str, *, must_change: bool) -> None:
        edu = Organisation.objects.filter(name="连云港市教育局").first()
        hrss = Organisation.objects.filter(
            name="连云港市人力资源和社会保障局", kind=OrgKind.DEPARTMENT
        ).first()
        enterprise = (
            Organisation.objects.filter(
                kind=OrgKind.ENTERPRISE, region_id="320706", staff__is_high_skilled=True
            )
            .order_by("id")
            .first()
        )
        talent_person = (
            Person.objects.filter(employer=enterprise, is_high_skilled=True).order_by("id").first()
            if enterprise
            else None
        )
        specs = [
            ("city", Role.CITY_ADMIN, "市人社局管理员", {}),
            ("haizhou", Role.REGION_OPERATOR, "海州区人社局", {"region_id": "320706"}),
            ("ganyu", Role.REGION_OPERATOR, "赣榆区人社局", {"region_id": "320707"}),
            ("edu", Role.DEPARTMENT, "市教育局", {"organisation": edu}),
            ("hrss", Role.DEPARTMENT, "市人社局", {"organisation": hrss}),
            (
                "org",
                Role.ORG_OPERATOR,
                enterprise.name if enterprise else "单位用户",
                {"organisation": enterprise},
            ),
            ("talent", Role.TALENT, talent_person.name if talent_person else "个人用户", {}),
            ("auditor", Role.AUDITOR, "审计管理员", {}),
            ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员", {}),
            ("secadmin", Role.SECURITY_ADMIN, "安全管理员", {}),
        ]
        for username, role, display, binding in specs:
            user, _ = User.objects.get_or_create(username=username, defaults={"role": role})
            user.role, user.first_name, user.is_active = role, display, True
            user.region_id = binding.get("region_id")
            user.organisation = binding.get("organisation")
            user.must_change_password = must_change
            user.set_password(password)
            user.save()
            if username == "talent" and talent_person is not None:
                Person.objects.filter(user=user).exclude(pk=talent_person.pk).update(user=None)
                Person.objects.filter(pk=talent_person.pk).update(user=user)

    def _account_rows(self):
        rows = []
        for user in User.objects.filter(username__in=[*DEMO_ACCOUNTS]).select_related(
            "region", "organisation"
        ):
            scope = user.region.name if user.region else (user.organisation.name if user.organisation else "")
            if user.role == Role.CITY_ADMIN:
                scope = "全市"
            if user.role == Role.TALENT:
                scope = "本人技能档案"
            if user.role == Role.AUDITOR:
                scope = "只读审计日志"
            if user.role == Role.SYSTEM_ADMIN:
                scope = "参考数据（不含个人信息）"
            if user.role == Role.SECURITY_ADMIN:
                scope = "账号和角色（不含个人信息）"
            rows.append((user.username, user.get_role_display(), scope))
        return sorted(rows, key=lambda r: DEMO_ACCOUNTS.index(r[0]))


# The demo accounts, in the order the README's table and the command's output list them.
DEMO_ACCOUNTS = [
    "city",
    "haizhou",
    "ganyu",
    "edu",
    "hrss",
    "org",
    "talent",
    "auditor",
    "sysadmin",
    "secadmin",
]


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "Gj-" + "".join(secrets.choice(alphabet) for _ in range(14)) + "!"
