"""A full resident ID never appears in a URL or a log line (SECURITY: no full ID in logs)."""

import io
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_search_by_full_id_is_posted_and_redirected_to_an_address_without_it(personas, login):
    person = personas.person_haizhou
    client = login(personas.city)
    response = client.post("/talents/persons/", {"q": person.id_number, "region": ""})
    assert response.status_code == 302
    location = response["Location"]
    assert person.id_number not in location
    assert person.id_number[-6:] not in location
    assert location.startswith("/talents/persons/?q=sfz-")
    found = client.get(location)
    assert [r.record for r in found.context["table"].paginated_rows] == [person]
    assert person.id_number not in found.content.decode()


def test_a_link_with_a_full_id_is_answered_with_the_address_without_it(personas, login):
    person = personas.person_ganyu
    client = login(personas.city)
    response = client.get("/evaluation/candidates/", {"q": person.id_number})
    assert response.status_code == 302
    assert person.id_number not in response["Location"]
    assert "sfz-" in response["Location"]


def test_the_list_filter_form_posts(personas, login):
    page = login(personas.city).get("/talents/persons/").content.decode()
    assert '<form method="post" class="card card-body bg-light border-0 mb-3 py-2" role="search">' in page


def _emit(logger_name: str, *args, exc: Exception | None = None) -> str:
    """Log through the configured handlers with their stream captured."""
    logger = logging.getLogger(logger_name)
    handlers = [h for h in (logger.handlers or logging.getLogger().handlers) if hasattr(h, "setStream")]
    assert handlers
    out = io.StringIO()
    old = [h.setStream(out) for h in handlers]
    try:
        if exc is None:
            logger.error(*args)
        else:
            try:
                raise exc
            except Exception:
                logger.exception(*args)
    finally:
        for h, stream in zip(handlers, old, strict=True):
            h.setStream(stream)
    return out.getvalue()


@pytest.mark.parametrize("logger_name", ["gongjiang.talents", "django.request", "django.server"])
def test_log_lines_carry_no_full_id_or_mobile(logger_name):
    rid, phone = "32070619900101123X", "13812345678"
    text = _emit(logger_name, "Not Found: /talents/persons/?q=%s&tel=%s", rid, phone)
    assert rid not in text and phone not in text
    assert "320706********123X" in text and "138****5678" in text
    text = _emit(logger_name, "failed", exc=ValueError("bad id %s" % rid))
    assert "Traceback" in text
    assert rid not in text
