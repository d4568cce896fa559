"""Test personas: the standing cast every scoped test uses (STYLE.md, "Tests").

Two regions (海州区 320706, 赣榆区 320707), an organisation in each, a person in each, and one user
per role bound to them. Scope tests make objects "inside" (海州) and "outside" (赣榆) of the
haizhou operator's reach.
"""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "Gj-test-Passw0rd!"  # noqa: S105 (test-only)


@dataclass
class Personas:
    city: object
    haizhou: object
    ganyu: object
    department: object
    org_operator: object
    talent: object
    auditor: object
    org_haizhou: object
    org_ganyu: object
    person_haizhou: object
    person_ganyu: object
    department_org: object


def build_personas() -> Personas:
    from gongjiang.accounts.choices import Role
    from gongjiang.accounts.tests.factories import UserFactory
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.tests.factories import OrganisationFactory
    from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

    org_haizhou = OrganisationFactory(name="海州测试机械有限公司", region_id="320706")
    org_ganyu = OrganisationFactory(name="赣榆测试港务有限公司", region_id="320707")
    department_org = OrganisationFactory(name="连云港市教育局", region_id="320706", kind=OrgKind.DEPARTMENT)
    talent_user = UserFactory(username="talent", role=Role.TALENT)
    person_haizhou = PersonFactory(
        name="海州人员", region_id="320706", employer=org_haizhou, user=talent_user
    )
    person_ganyu = PersonFactory(name="赣榆人员", region_id="320707", employer=org_ganyu)
    CertificateFactory(person=person_haizhou)
    CertificateFactory(person=person_ganyu)
    return Personas(
        city=UserFactory(username="city", role=Role.CITY_ADMIN),
        haizhou=UserFactory(username="haizhou", role=Role.REGION_OPERATOR, region_id="320706"),
        ganyu=UserFactory(username="ganyu", role=Role.REGION_OPERATOR, region_id="320707"),
        department=UserFactory(username="edu", role=Role.DEPARTMENT, organisation=department_org),
        org_operator=UserFactory(username="org", role=Role.ORG_OPERATOR, organisation=org_haizhou),
        talent=talent_user,
        auditor=UserFactory(username="auditor", role=Role.AUDITOR),
        org_haizhou=org_haizhou,
        org_ganyu=org_ganyu,
        person_haizhou=person_haizhou,
        person_ganyu=person_ganyu,
        department_org=department_org,
    )
