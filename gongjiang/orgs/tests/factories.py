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
