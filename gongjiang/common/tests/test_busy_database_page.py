"""A request that meets SQLite's "database is locked" (another writer, such as a large import's
merge, held the database past the busy timeout) is not a 500: it answers 503 with Retry-After and a
Chinese page saying that nothing was saved and to try again in a few seconds; once the other writer
is done, the same request works."""

import pytest

from gongjiang.jobs.tests.test_busy_database import _hold_lock, short_busy_timeout, sqlite_only  # noqa: F401
from gongjiang.workflow.models import Notification
from gongjiang.workflow.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_write_meeting_the_lock_gets_a_busy_page_then_works(short_busy_timeout, personas, client):  # noqa: F811
    notify(users=[personas.haizhou], text="未读消息")
    client.force_login(personas.haizhou)
    holder = _hold_lock(1.5)
    response = client.post("/todo/notifications/read/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "系统繁忙" in page and "未保存任何内容" in page and "Traceback" not in page
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    holder.join()
    assert client.post("/todo/notifications/read/").status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
