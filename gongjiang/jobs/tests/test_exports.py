"""Exports: what the user is looking at, masked unless revealed with a reason, large ones in the
background with a downloadable encrypted file, every one audited."""

import csv
import datetime
import io
import re
from urllib.parse import unquote

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.services import audit_record
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


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_person_export_writes_yes_no_and_date_cells(personas, login):
    from gongjiang.talents.tests.factories import CertificateFactory

    high = CertificateFactory(
        person=PersonFactory(name="导出高技能", region_id="320706"), issue_date=datetime.date(2026, 5, 1)
    ).person
    PersonFactory(name="导出非高技能", region_id="320706")
    client = login(personas.city)
    rows = sheet_rows(
        b"".join(client.get("/talents/persons/", {"q": "导出", "export": "xlsx"}).streaming_content)
    )
    header = rows[0]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_name[high.name]["高技能"] == "是" and by_name["导出非高技能"]["高技能"] == "否"
    assert by_name[high.name]["成为高技能人才"] == datetime.date(2026, 5, 1)  # a date cell, not text
    rows = _csv_rows(client.get("/talents/persons/", {"q": "导出", "export": "csv"}))
    by_name = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name[high.name]["高技能"] == "是" and by_name["导出非高技能"]["高技能"] == "否"
    assert by_name[high.name]["成为高技能人才"] == "2026-05-01"


def test_exported_times_are_beijing_time_to_the_second(personas, login):
    from django.utils import timezone

    client = login(personas.city)
    entry = AuditEntry.objects.latest("id")
    local = timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0)
    xlsx = sheet_rows(b"".join(client.get("/accounts/audit/", {"export": "xlsx"}).streaming_content))
    times = [r[0] for r in xlsx[1:]]
    assert local in times and all(isinstance(t, datetime.datetime) and not t.microsecond for t in times)
    rows = _csv_rows(client.get("/accounts/audit/", {"export": "csv"}))
    shown = [r[0] for r in rows[1:]]
    assert local.strftime("%Y-%m-%d %H:%M:%S") in shown
    assert not any("+00:00" in t or "." in t for t in shown)


def test_csv_and_xlsx_downloads_name_the_file_in_utf8_with_an_ascii_fallback(personas, login, monkeypatch):
    client = login(personas.city)
    for fmt in ("csv", "xlsx"):
        header = client.get("/talents/persons/", {"export": fmt})["Content-Disposition"]
        match = re.fullmatch(r"attachment; filename=\"([\x21-\x7e]+)\"; filename\*=UTF-8''(\S+)", header)
        assert match, header
        fallback, encoded = match.groups()
        assert re.fullmatch(r"\d{8}-\d{6}\." + fmt, fallback)
        assert unquote(encoded).startswith("人员") and unquote(encoded).endswith("." + fmt)
        assert "=?utf-8?" not in header
    monkeypatch.setattr(listing, "INLINE_EXPORT_ROWS", 0)
    client.get("/talents/persons/", {"export": "csv"})
    job = Job.objects.get(job_type="export")
    job_execute(job_id=job.pk)
    header = client.get(f"/jobs/{job.pk}/download/")["Content-Disposition"]
    assert "filename*=UTF-8''" in header and header.startswith('attachment; filename="')


def test_csv_export_is_audited_with_the_client_address(personas, login):
    client = login(personas.city)
    for fmt in ("csv", "xlsx"):
        response = client.get("/talents/persons/", {"export": fmt}, REMOTE_ADDR="10.32.7.15")
        b"".join(response.streaming_content)
        entry = AuditEntry.objects.filter(action="export").latest("id")
        assert entry.changes["format"] == fmt
        assert entry.address == "10.32.7.15" and entry.request_id == response["X-Request-ID"]


def test_full_id_opens_as_its_18_characters_in_csv_and_xlsx(personas, login):
    person = personas.person_haizhou
    client = login(personas.city)
    params = {"region": "320706", "reveal": "1", "reason": "社保核对"}
    rows = _csv_rows(client.get("/talents/persons/", {**params, "export": "csv"}))
    assert f'="{person.id_number}"' in [r[1] for r in rows]
    xlsx = sheet_rows(
        b"".join(client.get("/talents/persons/", {**params, "export": "xlsx"}).streaming_content)
    )
    assert person.id_number in [r[1] for r in xlsx]  # a string cell: all 18 characters


def test_full_id_in_a_csv_export_opens_in_libreoffice_as_the_same_18_characters(personas, login, tmp_path):
    """LibreOffice (headless, as a clerk's desktop would open the file) reads the CSV back."""
    import subprocess

    person = personas.person_haizhou
    params = {"region": "320706", "reveal": "1", "reason": "社保核对", "export": "csv"}
    body = b"".join(login(personas.city).get("/talents/persons/", params).streaming_content)
    (tmp_path / "persons.csv").write_bytes(body)
    subprocess.run(  # noqa: S603 (fixed arguments, files this test wrote)
        [
            "/usr/bin/soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "persons.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = CalamineWorkbook.from_path(str(tmp_path / "persons.xlsx")).get_sheet_by_index(0).to_python()
    assert rows[0][:2] == ["姓名", "身份证号"]
    row = next(r for r in rows if r[0] == person.name)
    assert row[1] == person.id_number and len(row[1]) == 18


def test_auditor_fetches_its_own_large_audit_export_and_no_other_job(personas, login, monkeypatch):
    monkeypatch.setattr(listing, "INLINE_EXPORT_ROWS", 3)
    for i in range(5):
        audit_record(actor=personas.city, action="stats.refresh", object_type="stats.tally", changes={"n": i})
    client = login(personas.auditor)
    response = client.get("/accounts/audit/", {"export": "csv"})
    job = Job.objects.get(job_type="export", user=personas.auditor)
    assert response["Location"] == f"/jobs/{job.pk}/"
    job_execute(job_id=job.pk)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    listed = client.get("/jobs/")
    assert listed.status_code == 200
    assert [r.record for r in listed.context["table"].paginated_rows] == [job]
    text = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    assert text.count("刷新统计数据") >= 5
    someone_elses = Job.objects.create(job_type="export", kind="x", user=personas.haizhou, filename="p.csv")
    assert client.get(f"/jobs/{someone_elses.pk}/").status_code == 404
    assert client.get("/jobs/import/").status_code == 403  # an auditor imports nothing
