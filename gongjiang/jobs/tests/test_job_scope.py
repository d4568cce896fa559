"""A job outside the user's reach: 404 and audited, never 403 (DESIGN: out of scope is 404)."""

import pytest

from gongjiang.accounts.models import AuditEntry
from gongjiang.jobs.choices import JobMode
from gongjiang.jobs.models import Job
from gongjiang.jobs.tests.helpers import roster_rows, run, write_csv

pytestmark = pytest.mark.django_db


def test_confirming_someone_elses_dry_run_is_404_audited_and_writes_nothing(tmp_path, personas, client):
    job = run(write_csv(tmp_path / "r.csv", roster_rows(3, seed=5)), personas.haizhou, mode=JobMode.DRY_RUN)
    assert job.result["accepted"] == 3
    client.force_login(personas.city)  # may see every job, but confirms only its own
    response = client.post(f"/jobs/{job.pk}/commit/")
    assert response.status_code == 404
    assert not Job.objects.filter(parent=job).exists()
    denied = AuditEntry.objects.get(action="access.denied", object_type="jobs.job", object_id=str(job.pk))
    assert (denied.username, denied.result, denied.changes["action"]) == ("city", "denied", "commit")


def test_an_out_of_scope_refusal_escaping_a_service_is_answered_404(personas, rf):
    from django.http import Http404

    from gongjiang.accounts.middleware import OutOfScopeMiddleware
    from gongjiang.accounts.scope import OutOfScope

    request = rf.post("/carriers/1/pass/")
    request.user = personas.ganyu
    with pytest.raises(Http404):
        OutOfScopeMiddleware(lambda r: None).process_exception(request, OutOfScope("超出范围"))
    denied = AuditEntry.objects.filter(action="access.denied", username="ganyu").get()
    assert denied.changes["path"] == "/carriers/1/pass/"
