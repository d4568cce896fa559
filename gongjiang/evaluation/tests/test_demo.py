"""seed_demo fills skill evaluation realistically, through the services where certificates are made."""

import io

import pytest
from django.core.management import call_command

from gongjiang.evaluation.models import Appointment, Batch, Filing

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_institutions_batches_and_a_published_batch_with_certificates():
    call_command("seed_demo", persons=600, password="Gongjiang@2026x", stdout=io.StringIO())
    assert Filing.objects.count() >= 5
    assert {"approved", "submitted", "rejected", "suspended"} <= set(
        Filing.objects.values_list("status", flat=True)
    )
    assert {"planned", "reported", "returned", "published", "cancelled"} <= set(
        Batch.objects.values_list("status", flat=True)
    )
    published = Batch.objects.get(status="published")
    passes = published.candidates.filter(passed=True)
    assert passes.exists()
    for candidate in passes:
        certificate = candidate.certificate
        assert certificate.person_id == candidate.person_id
        assert certificate.issuer == published.filing.organisation.name
        assert certificate.source == "evaluation"
        candidate.person.refresh_from_db()
        assert candidate.person.is_high_skilled
    assert not published.candidates.filter(passed=False, certificate__isnull=False).exists()
    employer = Filing.objects.get(organisation__user__username="org")
    assert employer.institution_type == "employer"
    assert Batch.objects.filter(filing=employer, status="planned").exists()

    counts = (Filing.objects.count(), Batch.objects.count(), Appointment.objects.count())
    call_command("seed_demo", persons=600, password="Gongjiang@2026y", stdout=io.StringIO())
    assert (Filing.objects.count(), Batch.objects.count(), Appointment.objects.count()) == counts
