"""A list page's extra buttons: the upload icon only on links to the import page."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _buttons(html: str) -> dict[str, str]:
    found = re.findall(
        r'<a class="btn btn-sm btn-outline-primary" href="[^"]*"><i class="bi bi-([\w-]+)"></i> ([^<]+)</a>',
        html,
    )
    return {label.strip(): icon for icon, label in found}


def test_carrier_list_buttons_have_their_own_icons(client, personas):
    client.force_login(personas.city)
    buttons = _buttons(client.get("/carriers/").content.decode())
    assert buttons["待办/逾期"] == "list-check"
    assert buttons["规则"] == "sliders"
    assert buttons["公开目录"] == "globe"
    assert buttons["导入已认定载体"] == "upload"


def test_job_list_offers_upload_only_to_a_role_that_can_import(client, personas):
    client.force_login(personas.department)
    assert "/jobs/import/" not in client.get("/jobs/").content.decode()
    client.force_login(personas.city)
    assert _buttons(client.get("/jobs/").content.decode())["上传导入文件"] == "upload"
