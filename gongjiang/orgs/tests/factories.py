import random

import factory

from gongjiang.common.demo import make_uscc
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation

_rng = random.Random(20261124)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"连云港测试企业{n}有限公司")
    uscc = factory.LazyFunction(lambda: make_uscc(_rng))
    kind = OrgKind.ENTERPRISE
    region_id = "320706"


def wage_report(
    organisation, year: int, *, staff: int, skilled: int, staff_n: int = 100, skilled_n: int = 60, **extra
):
    """A plausible wage report: ``staff`` and ``skilled`` average annual wages (元)."""
    from gongjiang.orgs.models import WageReport

    values = {
        "staff_count": staff_n,
        "staff_avg_wage": staff if staff_n else None,
        "skilled_count": skilled_n,
        "skilled_avg_wage": skilled if skilled_n else None,
        "high_skilled_count": min(skilled_n, 10),
        "high_skilled_avg_wage": (skilled + 10000) if skilled_n else None,
    }
    values.update(extra)
    return WageReport.objects.create(organisation=organisation, year=year, **values)
