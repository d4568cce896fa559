"""The summary the dashboard reads, within each user's scope."""

from decimal import Decimal

import pytest

from gongjiang.evaluation.choices import BatchStatus, FilingStatus, InstitutionType
from gongjiang.evaluation.selectors import evaluation_summary
from gongjiang.evaluation.services import batch_transition
from gongjiang.evaluation.tests.factories import BatchFactory, CandidateFactory, FilingFactory

pytestmark = pytest.mark.django_db


def test_summary_counts_institutions_batches_and_issued_certificates_in_scope(personas):
    haizhou = FilingFactory(organisation=personas.org_haizhou)
    ganyu = FilingFactory(organisation=personas.org_ganyu, institution_type=InstitutionType.SOCIAL)
    FilingFactory(status=FilingStatus.SUBMITTED, institution_type="school")  # not in force: waiting
    published = BatchFactory(filing=ganyu, status=BatchStatus.REPORTED)
    CandidateFactory(batch=published, passed=True, score=Decimal(80))
    CandidateFactory(batch=published, passed=False, score=Decimal(20))
    batch_transition(actor=personas.city, batch=published, action="publish")
    BatchFactory(filing=haizhou)

    city = evaluation_summary(user=personas.city)
    assert city["institutions_in_force"] == 2
    assert city["institutions_by_type"] == {"employer": 1, "social": 1}
    assert city["batches_by_status"]["published"] == 1
    assert city["batches_by_status"]["planned"] == 1
    assert city["certificates_issued"] == 1
    assert city["certificates_by_level"] == {"技师": 1}

    county = evaluation_summary(user=personas.haizhou)
    assert county["institutions_in_force"] == 1
    assert county["certificates_issued"] == 0
    assert county["batches_by_status"]["planned"] == 1

    assert evaluation_summary(user=personas.talent)["institutions_in_force"] == 0
