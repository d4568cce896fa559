"""The dry-run page shows the first rejected rows and their reasons, not only the counts."""

import pytest

from gongjiang.jobs.choices import JobMode
from gongjiang.jobs.selectors import ERRORS_SHOWN
from gongjiang.jobs.tests.helpers import roster_rows, run, write_csv

pytestmark = pytest.mark.django_db


def test_dry_run_page_lists_the_first_twenty_errors(tmp_path, personas, client):
    rows = roster_rows(30, seed=3)
    for i in range(25):
        rows[i][8] = "五星级"  # no such level
    rows[0][1] = rows[0][1][:17] + ("0" if rows[0][1][17] != "0" else "1")  # bad check digit
    job = run(write_csv(tmp_path / "r.csv", rows), personas.city, mode=JobMode.DRY_RUN)
    assert job.result["rejected"] == 25
    client.force_login(personas.city)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-errors"' in page
    assert "前 20 行，共 25 行" in page
    section = page.split('data-testid="job-errors"', 1)[1].split("</table>", 1)[0]
    assert section.count("<tr>") == ERRORS_SHOWN + 1  # the header and twenty rows
    assert "五星级" in section
    assert '<td class="ps-3">2</td>' in section  # row numbers as the user numbers them
    assert rows[0][1] not in page  # numbers quoted from the file are masked
    assert rows[0][1][:6] + "********" + rows[0][1][-4:] in section
