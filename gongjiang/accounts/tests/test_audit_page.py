"""The audit log page: 内容 in Chinese (field names and values), filters that offer choices."""

import re

import pytest

from gongjiang.accounts.services import audit_record
from gongjiang.talents.services import certificate_revoke

pytestmark = pytest.mark.django_db


def _changes_cells(html: str) -> list[str]:
    rows = html.split("<tbody", 1)[1]
    cells = re.findall(r"<tr[^>]*>(.*?)</tr>", rows, flags=re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[7].strip() for row in cells]


def test_audit_content_shows_chinese_field_names_and_values(personas, login):
    certificate = personas.person_haizhou.certificates.first()
    certificate_revoke(actor=personas.city, certificate=certificate, reason="证书系伪造")
    audit_record(
        actor=personas.city,
        action="export",
        object_type="talents.person",
        changes={"format": "xlsx", "rows": 3, "masked": True, "reason": ""},
    )
    html = login(personas.city).get("/accounts/audit/").content.decode()
    cells = _changes_cells(html)
    export = next(c for c in cells if "格式" in c)
    # PostgreSQL's jsonb keeps its own key order, so the parts are compared as a set
    assert set(export.split("；")) == {"格式：Excel", "行数：3", "已脱敏：是", "事由：—"}
    revoke = next(c for c in cells if "证书系伪造" in c)
    assert "状态：有效 → 已撤销" in revoke
    assert "{" not in "".join(cells) and '"' not in "".join(cells)


def test_audit_filters_offer_choices(personas, login):
    html = login(personas.city).get("/accounts/audit/").content.decode()
    action = re.search(r'<select name="action".*?</select>', html, flags=re.S)
    object_type = re.search(r'<select name="object_type".*?</select>', html, flags=re.S)
    assert action and '<option value="person.reveal">查看完整证件号</option>' in action.group(0)
    assert object_type and '<option value="talents.person">人员</option>' in object_type.group(0)


def test_audit_export_writes_the_chinese_content(personas, login):
    audit_record(
        actor=personas.city, action="stats.refresh", object_type="stats.tally", changes={"queued": 2}
    )
    response = login(personas.city).get("/accounts/audit/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "已排队：2" in body


def test_a_moment_in_the_audit_content_reads_in_beijing_time():
    from gongjiang.accounts.audit_display import describe_changes

    text = describe_changes("jobs.job", {"started_at": "2026-12-02T08:29:48.344832+00:00"})
    assert text.endswith("2026-12-02 16:29:48")
    assert "+00:00" not in text and ".344832" not in text
