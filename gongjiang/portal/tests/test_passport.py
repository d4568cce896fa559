"""The printable skills passport and its share links (≤30 days, revocable, ID masked, no login)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongjiang.accounts.models import AuditEntry
from gongjiang.portal.models import ShareLink
from gongjiang.portal.services import share_link_create

pytestmark = pytest.mark.django_db


def _new_link(client) -> str:
    page = client.post("/me/share/", {"days": "7"}).content.decode()
    return re.search(r'data-testid="new-share-link">.*?href="http://testserver(/p/[^"]+)"', page, re.S).group(
        1
    )


def test_own_passport_is_printable_with_qr_codes_and_masked_id(client, personas):
    person = personas.person_haizhou
    client.force_login(personas.talent)
    page = client.get("/me/passport/").content.decode()
    assert "@page" not in page  # print rules live in the stylesheet, which the page links
    assert "css/portal.css" in page and "data-print" in page
    assert page.count('data-testid="passport-qr"') == 1 and "data:image/svg+xml" in page
    assert person.id_masked in page and person.id_number not in page


def test_share_link_shows_the_passport_without_login_until_revoked(client, personas):
    person = personas.person_haizhou
    client.force_login(personas.talent)
    path = _new_link(client)
    link = ShareLink.objects.get()
    assert link.token_digest not in path and path.split("/p/")[1] not in link.token_digest
    assert link.expires_at - timezone.now() <= datetime.timedelta(days=7)
    client.logout()
    shared = client.get(path)
    assert shared.status_code == 200
    page = shared.content.decode()
    assert person.name in page and person.id_masked in page and person.id_number not in page
    assert "生成分享链接" not in page  # the owner's controls are not on the shared page
    client.force_login(personas.talent)
    assert client.post("/me/share/%d/revoke/" % link.pk).status_code == 302
    client.logout()
    assert client.get(path).status_code == 404
    assert list(
        AuditEntry.objects.filter(action__startswith="share_link").values_list("action", flat=True)
    ) == [
        "share_link.revoke",
        "share_link.create",
    ]


def test_expired_or_tampered_share_link_is_refused(client, personas):
    client.force_login(personas.talent)
    path = _new_link(client)
    client.logout()
    assert client.get(path[:-1] + ("A" if path[-1] != "A" else "B")).status_code == 404
    ShareLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("days", [0, 31])
def test_share_link_lasts_one_to_thirty_days(personas, days):
    with pytest.raises(ValidationError):
        share_link_create(actor=personas.talent, days=days)
    assert not ShareLink.objects.exists()


def test_another_talents_share_link_cannot_be_revoked(client, personas):
    from gongjiang.accounts.choices import Role
    from gongjiang.accounts.tests.factories import UserFactory

    other = UserFactory(username="talent2", role=Role.TALENT)
    personas.person_ganyu.user = other
    personas.person_ganyu.save(update_fields=["user"])
    link, _token = share_link_create(actor=other, days=3)
    client.force_login(personas.talent)
    assert client.post("/me/share/%d/revoke/" % link.pk).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
