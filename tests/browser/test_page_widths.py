"""Pages fit the screen they are used on: staff pages at 1440 px wide, public pages also at 375 px
(a phone), with no horizontal scrolling of the page or of a table inside it."""

import datetime

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH_SCRIPT = """() => {
  const doc = document.documentElement;
  const tables = [...document.querySelectorAll('.table-responsive')];
  return {page: doc.scrollWidth, view: doc.clientWidth,
          tables: tables.map(t => [t.scrollWidth, t.clientWidth])};
}"""


def _fits(page) -> None:
    widths = page.evaluate(WIDTH_SCRIPT)
    assert widths["page"] <= widths["view"], widths
    for scroll, client in widths["tables"]:
        assert scroll <= client + 1, widths


def _long_carriers(personas):
    from gongjiang.carriers.tests.factories import CarrierFactory, RecognisedCarrierFactory
    from gongjiang.orgs.tests.factories import OrganisationFactory

    host = OrganisationFactory(
        name="江苏连云港港口集团股份有限公司连云港港口装卸服务分公司", region_id="320706"
    )
    for i, status in enumerate(["county_review", "city_review", "returned"]):
        CarrierFactory(
            name=f"江苏连云港港口集团股份有限公司装卸服务分公司港口机械维修高技能人才培训基地{i}",
            host=host,
            status=status,
            carrier_type_id="industry_education_base",
        )
    RecognisedCarrierFactory(
        name="连云港市第一人民医院护理技能大师工作室（国家级重点专科护理团队）",
        host=host,
        carrier_type_id="model_worker_studio",
        first_recognised_on=datetime.date(2026, 5, 1),
    )


def test_carrier_list_fits_1440(page, log_in, live_personas, carrier_rules):
    _long_carriers(live_personas)
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in("city")
    page.goto("/carriers/")
    _fits(page)


@pytest.mark.parametrize("width", [1440, 375])
def test_public_catalogue_fits(page, live_personas, carrier_rules, width):
    _long_carriers(live_personas)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/carriers/catalogue/")
    _fits(page)
