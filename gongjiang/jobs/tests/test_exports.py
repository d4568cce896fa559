"""Exports: what the user is looking at, masked unless revealed with a reason, large ones in the
background with a downloadable encrypted file, every one audited."""

import io

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.common import listing
from gongjiang.jobs.choices import JobStatus
from gongjiang.jobs.models import Job
from gongjiang.jobs.services import job_execute
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def sheet_rows(body: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()


def test_inline_export_is_masked_and_audited_with_filters_and_count(personas, login):
    client = login(personas.city)
    response = client.get("/talents/persons/", {"region": "320706", "export": "xlsx"})
    rows = sheet_rows(b"".join(response.streaming_content))
    person = personas.person_haizhou
    assert rows[0][:2] == ["姓名", "身份证号"]
    assert [person.name, person.id_masked] == rows[1][:2]
    assert person.id_number not in str(rows)
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.changes["rows"] == 1
    assert entry.changes["filters"] == {"region": "320706"}
    assert entry.changes["masked"] is True


def test_reveal_export_needs_permission_and_reason(personas, login):
    person = personas.person_haizhou
    city = login(personas.city)
    no_reason = city.get("/talents/persons/", {"export": "xlsx", "reveal": "1"})
    assert no_reason.status_code == 302
    response = city.get("/talents/persons/", {"export": "xlsx", "reveal": "1", "reason": "社保核对"})
    rows = sheet_rows(b"".join(response.streaming_content))
    assert person.id_number in [r[1] for r in rows]
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.changes["masked"] is False
    assert entry.changes["reason"] == "社保核对"
    org = login(personas.org_operator)
    assert (
        org.get("/talents/persons/", {"export": "xlsx", "reveal": "1", "reason": "想看"}).status_code == 403
    )


def test_large_export_runs_in_the_background_and_downloads(personas, login, monkeypatch):
    monkeypatch.setattr(listing, "INLINE_EXPORT_ROWS", 3)
    for i in range(5):
        PersonFactory(name=f"导出人员{i}", region_id="320706")
    client = login(personas.haizhou)
    response = client.get("/talents/persons/", {"export": "csv", "q": "导出人员"})
    job = Job.objects.get(job_type="export")
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"rows": 5}
    assert job.percent == 100
    download = client.get(f"/jobs/{job.pk}/download/")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.count("导出人员") == 5
    assert "赣榆人员" not in text
    assert AuditEntry.objects.filter(action="export", object_id=str(job.pk)).get().changes["rows"] == 5
    assert login(personas.ganyu).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_export_neutralises_a_formula_in_a_name(personas, login):
    PersonFactory(name="=HYPERLINK(1)", region_id="320706")
    response = login(personas.city).get("/talents/persons/", {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_export_without_permission_is_refused(personas, login):
    assert login(personas.talent).get("/talents/persons/", {"export": "xlsx"}).status_code == 403
