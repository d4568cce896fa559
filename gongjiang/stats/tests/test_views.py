"""The dashboard's pages: every number links to exactly the persons it counts; a region operator's
dashboard, drill-downs and report hold only its region; a department reads only; the city admin
enters official totals and refreshes."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django_tasks_db.models import DBTaskResult
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.stats.choices import Status
from gongjiang.stats.figures import figures_from_raw
from gongjiang.stats.indicators import pace
from gongjiang.stats.models import OfficialTotal
from gongjiang.stats.services import stats_refresh_all

from .factories import build_crafted

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def crafted(personas):
    data = build_crafted(actor=personas.city, crowd=40)
    stats_refresh_all()
    return data


def _listed(client, url):
    """The persons the person list shows for a drill-down link (all pages: the filtered queryset)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["filter"].qs


def _drill_pairs(board):
    """(count shown, link) for every number of the dashboard that has a link."""
    rows = [
        *board.regions,
        *board.domains,
        *board.levels,
        *board.employer_kinds,
        *board.flags,
        *board.occupations,
    ]
    for row in rows:
        yield row.counts.skilled, row.urls["skilled"]
        yield row.counts.high, row.urls["high"]
        yield row.counts.new_high, row.urls["new_high"]
    for period in [*board.months, *board.quarters, *board.years]:
        yield period.value, period.url
    for _line, cells in board.region_quarters:
        for cell in cells:
            yield cell.value, cell.url
    for indicator in board.indicators[:2]:
        yield (
            indicator.value if indicator.code == "new_high_skilled" else indicator.parts["high"],
            indicator.url,
        )


def test_every_number_links_to_exactly_the_persons_it_counts(crafted, personas, login):
    client = login(personas.city)
    board = client.get("/stats/").context["board"]
    pairs = list(_drill_pairs(board))
    assert len(pairs) > 80
    for shown, url in pairs:
        assert url and url.startswith("/talents/persons/?")
        assert _listed(client, url).count() == shown, url


def test_ganyu_2026_q2_link_lists_the_new_high_skilled_of_ganyu_in_that_quarter(crafted, personas, login):
    client = login(personas.city)
    board = client.get("/stats/").context["board"]
    cells = next(cells for line, cells in board.region_quarters if line.key == "320707")
    q2 = next(c for c in cells if c.label == "2026年第二季度")
    listed = set(_listed(client, q2.url).values_list("pk", flat=True))
    from gongjiang.talents.models import Person

    expected = set(
        Person.objects.filter(
            region_id="320707", high_skilled_since__gte="2026-04-01", high_skilled_since__lte="2026-06-30"
        ).values_list("pk", flat=True)
    )
    assert listed == expected and crafted.persons["mover"].pk in listed
    assert q2.value == len(expected)


def test_region_operator_sees_only_its_region_in_dashboard_drill_downs_and_report(crafted, personas, login):
    client = login(personas.haizhou)
    response = client.get("/stats/", {"region": "320707"})  # asking for another region changes nothing
    board = response.context["board"]
    assert [r.key for r in board.regions] == ["320706"]
    raw = figures_from_raw(on=board.on, region="320706")
    assert board.figures.as_dict() == raw.as_dict()
    assert board.figures.total.skilled < figures_from_raw(on=board.on).total.skilled
    html = response.content.decode()
    assert "赣榆区" not in html.split('data-testid="table-regions"')[1].split("</section>")[0]
    for shown, url in _drill_pairs(board):
        listed = _listed(client, url)
        assert listed.count() == shown, url
        assert set(listed.values_list("region_id", flat=True)) <= {"320706"}
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(client.get("/stats/report.xlsx").streaming_content))
    )
    regions = book.get_sheet_by_name("按县区").to_python()
    assert [row[0] for row in regions[1:]] == ["海州区"]
    assert int(regions[1][1]) == raw.by_region["320706"].skilled


def test_region_operator_does_not_see_other_regions_official_totals(crafted, personas, login):
    OfficialTotal.objects.create(region_id="320706", year=2026, skilled_workers=5000)
    OfficialTotal.objects.create(region_id="320707", year=2026, skilled_workers=7000)
    client = login(personas.haizhou)
    html = client.get("/stats/official-totals/").content.decode()
    assert "5,000" in html and "7,000" not in html
    share = client.get("/stats/").context["board"].indicator("high_skilled_share")
    assert share.parts["official_skilled"] == 5000


def test_department_reads_the_dashboard_without_links_or_changes(crafted, personas, login):
    client = login(personas.department)
    response = client.get("/stats/")
    board = response.context["board"]
    assert board.figures.as_dict() == figures_from_raw(on=board.on).as_dict()
    html = response.content.decode()
    assert "/talents/persons/" not in html
    assert "刷新统计" not in html
    assert client.post("/stats/refresh/").status_code == 403
    page = client.get("/stats/official-totals/")
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post("/stats/official-totals/", {"region": "320706"}).status_code == 403


def test_city_admin_enters_an_official_total_and_the_share_is_shown_against_it(crafted, personas, login):
    client = login(personas.city)
    bad = client.post(
        "/stats/official-totals/", {"region": "320706", "year": "2026", "skilled_workers": "0", "source": ""}
    )
    assert bad.status_code == 422
    assert "技能劳动者总量须大于0" in bad.content.decode()
    response = client.post(
        "/stats/official-totals/",
        {"region": "320706", "year": "2026", "skilled_workers": "20000", "source": "2026年统计年报"},
    )
    assert response.status_code == 302
    # A second entry for the same region and year corrects the first.
    client.post(
        "/stats/official-totals/",
        {"region": "320706", "year": "2026", "skilled_workers": "25000", "source": "更正"},
    )
    assert OfficialTotal.objects.get(region_id="320706", year=2026).skilled_workers == 25000
    assert AuditEntry.objects.filter(action="official_total.save").count() == 2
    board = client.get("/stats/").context["board"]
    haizhou = next(r for r in board.regions if r.key == "320706")
    assert haizhou.official == 25000
    assert haizhou.official_share == pytest.approx(haizhou.counts.high / 25000)
    share = board.indicator("high_skilled_share")
    assert share.parts["official_skilled"] == 25000  # only 海州 entered: the city sum is its row
    assert share.parts["official_share"] == pytest.approx(board.figures.total.high / 25000)
    OfficialTotal.objects.create(region_id="320700", year=2026, skilled_workers=400000)
    share = client.get("/stats/").context["board"].indicator("high_skilled_share")
    assert share.parts["official_skilled"] == 400000  # the city's own row wins over the sum


def _share_line(board) -> str:
    return next(line for line in board.summary if line.startswith("高技能人才占技能劳动者比例"))


def test_share_without_an_official_total_claims_no_status_and_shows_the_registry_share_second(
    crafted, personas, login
):
    client = login(personas.city)
    response = client.get("/stats/")
    board = response.context["board"]
    share = board.indicator("high_skilled_share")
    total = board.figures.total
    assert total.high / total.skilled > 0.33  # the registry alone would read as 超前
    assert share.value is None and share.pace is None and share.projection is None
    assert share.status == Status.NO_OFFICIAL and share.status_label == "无官方数"
    assert share.parts["registry_share"] == pytest.approx(total.high / total.skilled)
    line = _share_line(board)
    assert "未录入技能劳动者官方统计数" in line and "可以完成目标" not in line and "超前" not in line
    assert f"库内口径{total.high / total.skilled * 100:.1f}%" in line
    card = (
        response.content.decode()
        .split('data-testid="indicator-high_skilled_share"')[1]
        .split("</section>")[0]
    )
    card = card.split('class="col-sm-6')[0]
    assert "未录入官方统计数" in card and "无官方数" in card and "超前" not in card
    assert f"库内口径 {total.high / total.skilled * 100:.1f}%" in card
    assert {r.share_status for r in board.regions} == {Status.NO_OFFICIAL}
    assert board.charts["regions"]["goal"] is None
    assert board.charts["regions"]["share_name"] == "高技能人才占比（库内口径）"


def test_share_headline_status_and_conclusion_use_the_official_total(crafted, personas, login):
    client = login(personas.city)
    board = client.get("/stats/").context["board"]
    total, base = board.figures.total, figures_from_raw(on=D(2025, 12, 31)).total
    official = total.skilled * 10  # the registry holds a tenth of the city's skilled workers
    OfficialTotal.objects.create(region_id="320700", year=board.on.year, skilled_workers=official)
    response = client.get("/stats/")
    board = response.context["board"]
    share = board.indicator("high_skilled_share")
    assert share.value == pytest.approx(total.high / official)
    # The pace line starts from the 2025 high-skilled count over the same official total.
    expected_pace = pace(baseline=base.high / official, goal=0.33, on=board.on)
    assert share.pace == pytest.approx(expected_pace)
    assert share.status == Status.BEHIND  # about 1/10 of the registry share: far below the pace
    assert share.projection is not None and share.projection < 0.33
    assert share.parts["registry_share"] == pytest.approx(total.high / total.skilled)
    line = _share_line(board)
    assert line.startswith(f"高技能人才占技能劳动者比例：{total.high / official * 100:.1f}%")
    assert "落后进度" in line and "难以完成目标" in line and "可以完成目标" not in line
    assert f"库内口径{total.high / total.skilled * 100:.1f}%" in line
    card = response.content.decode().split('data-testid="indicator-high_skilled_share"')[1]
    card = card.split('class="col-sm-6')[0]
    assert f"{total.high / official * 100:.1f}%" in card.split('data-testid="registry"')[0]
    assert "落后" in card and "超前" not in card
    # A 2025 official total, where entered, is the baseline's denominator.
    OfficialTotal.objects.create(region_id="320700", year=2025, skilled_workers=official // 2)
    share = client.get("/stats/").context["board"].indicator("high_skilled_share")
    assert share.pace == pytest.approx(pace(baseline=base.high / (official // 2), goal=0.33, on=board.on))
    # The quarterly report's overview carries both.
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(client.get("/stats/report.xlsx").streaming_content))
    )
    overview = book.get_sheet_by_name("指标总览").to_python()
    row = next(r for r in overview if r[0] == "高技能人才占技能劳动者比例")
    assert float(row[1]) == pytest.approx(round(total.high / official, 4))
    assert row[5] == "落后"
    assert float(row[7]) == pytest.approx(round(total.high / total.skilled, 4))


def test_a_region_with_an_official_total_gets_a_status_against_it_and_others_none(crafted, personas, login):
    client = login(personas.city)
    board = client.get("/stats/").context["board"]
    haizhou = next(r for r in board.regions if r.key == "320706")
    OfficialTotal.objects.create(region_id="320706", year=board.on.year, skilled_workers=haizhou.counts.high)
    board = client.get("/stats/").context["board"]
    rows = {r.key: r for r in board.regions}
    assert rows["320706"].official_share == pytest.approx(1.0)
    assert rows["320706"].share_status == Status.AHEAD
    assert all(r.share_status == Status.NO_OFFICIAL for k, r in rows.items() if k != "320706")
    assert board.charts["regions"]["share_name"] == "高技能人才占比（官方口径）"
    assert board.charts["regions"]["share"][list(rows).index("320706")] == 100.0


def test_county_dashboard_has_no_city_goal_until_the_city_splits_it(crafted, personas, login):
    from gongjiang.carriers.tests.factories import RecognisedCarrierFactory
    from gongjiang.orgs.tests.factories import OrganisationFactory
    from gongjiang.schools.choices import DemonstrationStatus
    from gongjiang.schools.tests.factories import DemonstrationFactory, SchoolFactory

    RecognisedCarrierFactory(host=OrganisationFactory(region_id="320706"))
    for region, status in (
        ("320706", DemonstrationStatus.SUPPORTED),
        ("320706", DemonstrationStatus.ACCEPTED),
        ("320707", DemonstrationStatus.SUPPORTED),
    ):
        DemonstrationFactory(school=SchoolFactory(region_id=region), status=status)
    client = login(personas.haizhou)
    response = client.get("/stats/")
    board = response.context["board"]
    carriers, schools = board.indicator("new_carriers"), board.indicator("demonstration_schools")
    new_high = board.indicator("new_high_skilled")
    assert carriers.value == 1 and schools.value == 2  # the county's own, not the city's 3
    for ind in (carriers, schools, new_high):
        assert (ind.goal, ind.pace, ind.status) == (None, None, Status.UNKNOWN), ind.code
        assert "尚未分解到本县区" in ind.notes[0]
    card = (
        response.content.decode().split('data-testid="indicator-new_carriers"')[1].split('class="col-sm-6')[0]
    )
    assert "落后" not in card and "目标 —" in card

    # The city admin splits the carrier target: 海州 4; only 海州 sees it.
    city = login(personas.city)
    assert (
        city.post(
            "/stats/target-splits/", {"target": "new_carriers", "region": "320706", "goal": "-1"}
        ).status_code
        == 422
    )
    response = city.post("/stats/target-splits/", {"target": "new_carriers", "region": "320706", "goal": "4"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="target_split.save").count() == 1
    assert "320700" not in [
        c for c, _ in city.get("/stats/target-splits/").context["form"].fields["region"].choices
    ]
    board = login(personas.haizhou).get("/stats/").context["board"]
    carriers = board.indicator("new_carriers")
    assert carriers.goal == 4 and carriers.pace == pytest.approx(pace(baseline=0, goal=4, on=board.on))
    assert carriers.status != Status.UNKNOWN
    assert board.indicator("demonstration_schools").goal is None  # not split: still no goal
    ganyu = login(personas.ganyu).get("/stats/").context["board"].indicator("new_carriers")
    assert ganyu.goal is None
    assert (
        login(personas.haizhou)
        .post("/stats/target-splits/", {"target": "new_carriers", "region": "320706", "goal": "9"})
        .status_code
        == 403
    )
    # The city's own dashboard keeps the city goals.
    city = login(personas.city)
    board = city.get("/stats/").context["board"]
    assert board.indicator("new_carriers").goal == 20 and board.indicator("demonstration_schools").value == 3
    # A city admin narrowing to 海州 sees what 海州 sees.
    narrowed = city.get("/stats/?region=320706").context["board"]
    assert (
        narrowed.indicator("new_carriers").goal == 4
        and narrowed.indicator("demonstration_schools").value == 2
    )


def test_each_school_teacher_count_links_to_exactly_the_teachers_it_counts(crafted, personas, login):
    from gongjiang.schools.tests.factories import SchoolFactory, teacher_with_level

    school = SchoolFactory(name="海州测试技师学院", region_id="320706")
    for level in ("GRADE3", "GRADE2", "GRADE3", "GRADE4", None):
        teacher_with_level(school, level)
    client = login(personas.city)
    response = client.get("/stats/")
    item = next(i for i in response.context["board"].teachers["by_school"] if i["label"] == school.name)
    assert (item["high"], item["total"], item["below"]) == (3, 5, 2)
    for key, expected in (("high_url", 3), ("total_url", 5), ("url", 2)):
        listed = client.get(item[key]).context["table"].data
        assert len(listed) == expected, key
    high = {t.person.name for t in client.get(item["high_url"]).context["table"].data}
    below = {t.person.name for t in client.get(item["url"]).context["table"].data}
    assert not high & below
    row = (
        response.content.decode()
        .split('data-testid="table-teachers"')[1]
        .split(school.name)[1]
        .split("</tr>")[0]
    )
    assert f'<a href="{item["high_url"]}&drill=3&back=%2Fstats%2F">3</a>' in row.replace("&amp;", "&")
    assert "high=true" in item["high_url"] and "high=false" in item["url"]


def test_demonstration_schools_number_opens_exactly_the_schools_it_counts(crafted, personas, login):
    from gongjiang.schools.choices import DemonstrationStatus
    from gongjiang.schools.tests.factories import DemonstrationFactory, SchoolFactory

    made = {
        status: DemonstrationFactory(school=SchoolFactory(region_id=region), status=status)
        for status, region in (
            (DemonstrationStatus.CANDIDATE, "320706"),
            (DemonstrationStatus.SUPPORTED, "320706"),
            (DemonstrationStatus.ACCEPTED, "320707"),
            (DemonstrationStatus.WITHDRAWN, "320707"),
        )
    }
    counted = {made[DemonstrationStatus.SUPPORTED].pk, made[DemonstrationStatus.ACCEPTED].pk}
    client = login(personas.city)
    board = client.get("/stats/").context["board"]
    schools = board.indicator("demonstration_schools")
    assert schools.value == 2
    assert {d.pk for d in client.get(schools.url).context["table"].data} == counted
    for item in board.indicator("demonstration_schools").parts["by_type"]:
        listed = client.get(item["url"]).context["table"].data
        assert len(listed) == item["value"], item["label"]
    not_counted = client.get("/schools/demonstrations/?counted=false").context["table"].data
    assert {d.pk for d in not_counted} == {d.pk for d in made.values()} - counted
    haizhou = client.get("/stats/?region=320706").context["board"].indicator("demonstration_schools")
    assert haizhou.value == 1
    assert [d.pk for d in client.get(haizhou.url).context["table"].data] == [
        made[DemonstrationStatus.SUPPORTED].pk
    ]


def test_refresh_button_queues_one_background_refresh(personas, login):
    client = login(personas.city)
    before = DBTaskResult.objects.count()
    response = client.post("/stats/refresh/", follow=True)
    assert "已提交后台刷新" in response.content.decode()
    assert DBTaskResult.objects.count() == before + 1
    assert DBTaskResult.objects.order_by("-enqueued_at").first().task_path.endswith("aggregates_refresh_task")
    response = client.post("/stats/refresh/", follow=True)
    assert "已在排队" in response.content.decode()
    assert DBTaskResult.objects.count() == before + 1
    assert AuditEntry.objects.filter(action="stats.refresh", username="city").count() == 2


def test_report_workbook_has_every_table(crafted, personas, login):
    from gongjiang.orgs.tests.factories import OrganisationFactory, wage_report

    # Two enterprises with two years of wage reports: one complies, one falls short (50%).
    for name, skilled in (("达标企业", 88000), ("未达标企业", 81000)):
        org = OrganisationFactory(name=name)
        wage_report(org, 2024, staff=80000, skilled=80000)
        wage_report(org, 2025, staff=84000, skilled=skilled)
    client = login(personas.city)
    response = client.get("/stats/report.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheet_names == [
        "摘要",
        "指标总览",
        "按县区",
        "县区按季度新增",
        "按月新增",
        "按季度新增",
        "按年度新增",
        "按重点领域",
        "按等级",
        "按职业前20",
        "按单位类别",
        "按单位标识",
        "培养载体",
        "专业课教师",
        "部门任务（按措施）",
    ]
    board = client.get("/stats/").context["board"]
    overview = book.get_sheet_by_name("指标总览").to_python()
    assert overview[1][0] == "新增高技能人才" and int(overview[1][1]) == board.figures.total.new_high
    assert [row[0] for row in overview[3:]] == [
        "新建市级以上高技能人才培养载体",
        "专业课教师高级证书比例",
        "高水平示范性学校",
        "技能人才工资增幅达标企业",
    ]
    assert [row[1] for row in overview[3:]][-1] == 0.5  # the wage growth share, as a number
    assert int(overview[3][1]) == board.indicator("new_carriers").value
    months = book.get_sheet_by_name("按月新增").to_python()
    assert sum(int(row[1]) for row in months[1:]) == board.figures.total.new_high
    assert AuditEntry.objects.filter(action="export", object_type="stats.tally").exists()


def test_report_workbook_prints_readably_on_a4(crafted, personas, login):
    import zipfile

    from django.utils import timezone

    OfficialTotal.objects.create(region_id="320706", year=2026, skilled_workers=50000)
    client = login(personas.city)
    body = b"".join(client.get("/stats/report.xlsx").streaming_content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(body))
    archive = zipfile.ZipFile(io.BytesIO(body))
    workbook = archive.read("xl/workbook.xml").decode()
    styles = archive.read("xl/styles.xml").decode()
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1].split("</cellXfs>")[0])
    percent_styles = {str(i) for i, xf in enumerate(xfs) if 'numFmtId="10"' in xf}  # 0.00%
    for index, name in enumerate(book.sheet_names, start=1):
        xml = archive.read(f"xl/worksheets/sheet{index}.xml").decode()
        assert 'paperSize="9"' in xml and 'orientation="landscape"' in xml, name
        assert '<pageSetUpPr fitToPage="1"/>' in xml and 'fitToHeight="0"' in xml, name
        assert f'<definedName name="_xlnm.Print_Titles" localSheetId="{index - 1}">' in workbook, name
    # The overview: the 口径 column wraps and its rows are as tall as their lines.
    overview = archive.read("xl/worksheets/sheet2.xml").decode()
    heights = [float(h) for h in re.findall(r'<row r="\d+"[^>]* ht="([\d.]+)" customHeight="1"', overview)]
    assert len(heights) >= 5 and min(heights) >= 32  # every indicator's definition takes 2+ lines
    # Ratios are numbers with a percent format, counts are counts.
    regions = archive.read("xl/worksheets/sheet3.xml").decode()
    sheet = book.get_sheet_by_name("按县区").to_python()
    share_col = "ABCDEFGHI"[sheet[0].index("占比（官方口径）")]
    haizhou_row = next(i for i, r in enumerate(sheet) if r[0] == "海州区") + 1
    style = re.search(rf'<c r="{share_col}{haizhou_row}" s="(\d+)"', regions).group(1)
    assert style in percent_styles
    assert 0 < sheet[haizhou_row - 1][sheet[0].index("占比（官方口径）")] < 1
    summary = book.get_sheet_by_name("摘要").to_python()
    as_of = client.get("/stats/").context["board"].as_of
    assert summary[2][0] == f"数据截至 {timezone.localtime(as_of):%Y-%m-%d %H:%M}"  # Beijing time


def test_printable_report_has_every_section_and_a_summary(crafted, personas, login):
    client = login(personas.city)
    html = client.get("/stats/report/").content.decode()
    for test_id in (
        "report-summary",
        "report-indicators",
        "report-charts",
        "report-tables",
        "report-definitions",
        "chart-cumulative",
        "chart-regions",
        "chart-levels",
        "chart-domains",
        "table-regions",
        "table-region-quarters",
        "table-occupations",
    ):
        assert f'data-testid="{test_id}"' in html, test_id
    assert "新增高技能人才：" in html
    assert any(words in html for words in ("落后进度", "超前进度", "符合进度"))
    assert "技能人才工资增幅达标企业" in html
    assert "—（数据待接入）" not in html  # every indicator's app is connected
    assert re.search(r'<script id="dashboard-charts" type="application/json">', html)
    assert "<script>" not in html  # CSP: no inline script


def test_not_connected_providers_show_placeholder_and_connected_ones_their_numbers(
    crafted, personas, login, monkeypatch
):
    from gongjiang.stats import providers

    client = login(personas.city)
    assert "—（数据待接入）" not in client.get("/stats/").content.decode()
    monkeypatch.setitem(providers.PROVIDERS, "wage_growth", "gongjiang.orgs.selectors.not_there")
    html = client.get("/stats/").content.decode()
    assert html.count("—（数据待接入）") == 1  # the wage growth indicator, as if its app were missing
    monkeypatch.setitem(providers.PROVIDERS, "new_carriers", "gongjiang.stats.tests.test_views.fake_carriers")
    board = client.get("/stats/").context["board"]
    carriers = board.indicator("new_carriers")
    assert carriers.available and carriers.value == 3 and carriers.goal == 20
    assert carriers.pace is not None and carriers.projection is not None
    assert board.charts["carriers"]["by_type"][0]["label"] == "技能大师工作室"


def fake_carriers(*, on, region):
    """A provider as the carriers app will offer it (used by the test above)."""
    return {
        "value": 3,
        "goal": 20,
        "url": "/carriers/?counted=1",
        "by_type": [
            {"label": "技能大师工作室", "value": 2, "url": None},
            {"label": "高技能人才培训基地", "value": 1},
        ],
        "by_level": [{"label": "市级", "value": 3}],
    }


def test_dashboard_is_a_handful_of_small_reads(crafted, personas, login, django_assert_max_num_queries):
    client = login(personas.city)
    # Session, user, refresh state, 2 aggregate reads, baseline, trend, official totals, reference
    # names (regions, levels, domains, occupations), and the providers' reads of their own small
    # tables (carriers: count, by type, by level; teachers: share, per school; demonstration
    # schools), benefits (granted, paid: two grouped reads), competitions (one grouped read),
    # honours (granted by title, rounds, their nominations' counts), wage reports (the latest year
    # with comparable reports, then that year's reports) and training (trainees and subsidy, paid:
    # two grouped reads): no query per row, region or month.
    with django_assert_max_num_queries(31):
        assert client.get("/stats/").status_code == 200
    client = login(personas.haizhou)
    # and the operator's region, for the navigation bar, and the city's targets split to that region
    with django_assert_max_num_queries(34):
        assert client.get("/stats/").status_code == 200


def test_a_drill_down_names_its_figure_and_leads_back_to_the_dashboard(personas, client):
    import re

    client.force_login(personas.city)
    dashboard = client.get("/stats/", {"region": "320706"}).content.decode()
    link = re.search(r'<a href="(/talents/persons/\?[^"]*is_high_skilled=true[^"]*)">', dashboard)
    assert link, "the dashboard links its high-skilled figure to the person list"
    url = link.group(1).replace("&amp;", "&")
    assert "back=%2Fstats%2F%3Fregion%3D320706" in url
    page = client.get(url).content.decode()
    banner = page.split('data-testid="drill-banner"', 1)[1].split("</div>", 1)[0]
    assert "背后的名单" in banner and "高技能人才 是" in banner
    assert 'href="/stats/?region=320706"' in banner and "返回目标驾驶舱" in banner


def test_a_drill_down_does_not_link_back_off_site(personas, client):
    client.force_login(personas.city)
    page = client.get("/talents/persons/", {"drill": "5", "back": "https://evil.example/"}).content.decode()
    assert 'href="https://evil' not in page
    assert '<a class="btn btn-sm btn-outline-primary" href="/" data-testid="drill-back">' in page


def test_the_dashboard_shows_benefits_granted_and_paid_by_policy_and_region(personas, login):
    import datetime
    import json as _json

    from gongjiang.benefits.models import Entitlement, PaymentBatch, PaymentLine
    from gongjiang.benefits.services import entitlements_grant, policies_load

    policies_load(
        actor=None,
        text=_json.dumps(
            [
                {
                    "code": "TEST-ALLOWANCE",
                    "name": "测试津贴",
                    "mode": "automatic",
                    "effective": ["2024-01-01", None],
                    "levels": {"GRADE3": 5000},
                    "certificate_types": ["skill_level"],
                }
            ],
            ensure_ascii=False,
        ),
    )
    entitlements_grant(on=datetime.date.today())  # the two personas' 2026 高级工, 海州 and 赣榆
    haizhou = Entitlement.objects.get(person=personas.person_haizhou)
    batch = PaymentBatch.objects.create(month=datetime.date.today().replace(day=1))
    PaymentLine.objects.create(batch=batch, entitlement=haizhou, instalment=1, amount=5000, status="paid")
    board = login(personas.city).get("/stats/").context["board"]
    assert board.benefits["by_policy"] == [
        {"label": "测试津贴", "count": 2, "granted": 10000.0, "paid": 5000.0}
    ]
    assert {r["label"]: r["paid"] for r in board.benefits["by_region"]} == {"海州区": 5000.0, "赣榆区": 0.0}
    assert board.charts["benefits"]["by_policy"][0]["granted"] == 10000.0
    county = login(personas.haizhou).get("/stats/").context["board"]
    assert county.benefits["by_policy"] == [
        {"label": "测试津贴", "count": 1, "granted": 5000.0, "paid": 5000.0}
    ]


def test_the_dashboard_shows_benefits_for_every_year_so_far(personas, login):
    """An entitlement granted and paid in an earlier year stays on the dashboard, in its own year's
    bar; a year with nothing between shows as zero; a county sees only its own."""
    import datetime
    import json as _json

    from gongjiang.benefits.models import Entitlement, PaymentBatch, PaymentLine
    from gongjiang.benefits.services import entitlements_grant, policies_load

    policies_load(
        actor=None,
        text=_json.dumps(
            [
                {
                    "code": "YEARS",
                    "name": "逐年测试",
                    "mode": "automatic",
                    "effective": ["2020-01-01", None],
                    "levels": {"GRADE3": 3000},
                    "certificate_types": ["skill_level"],
                }
            ],
            ensure_ascii=False,
        ),
    )
    entitlements_grant(on=datetime.date.today())
    this_year = datetime.date.today().year
    earlier = datetime.date(this_year - 2, 3, 1)
    Entitlement.objects.filter(person=personas.person_haizhou).update(granted_on=earlier)
    haizhou = Entitlement.objects.get(person=personas.person_haizhou)
    batch = PaymentBatch.objects.create(month=earlier)
    PaymentLine.objects.create(batch=batch, entitlement=haizhou, instalment=1, amount=3000, status="paid")
    board = login(personas.city).get("/stats/").context["board"]
    assert board.benefits["by_year"] == [
        {"label": str(this_year - 2), "granted": 3000.0, "paid": 3000.0},
        {"label": str(this_year - 1), "granted": 0.0, "paid": 0.0},
        {"label": str(this_year), "granted": 3000.0, "paid": 0.0},
    ]
    assert board.charts["benefit_years"]["by_year"][0]["paid"] == 3000.0
    ganyu = login(personas.ganyu).get("/stats/").context["board"]
    assert ganyu.benefits["by_year"] == [{"label": str(this_year), "granted": 3000.0, "paid": 0.0}]
