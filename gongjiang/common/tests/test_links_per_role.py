"""Show only what a role can do: no page a role reaches from its navigation links to a page that
answers that role with 403."""

import re

import pytest

pytestmark = pytest.mark.django_db

ROLES = ["city", "haizhou", "department", "org_operator", "talent", "auditor"]


def _links(html: str) -> set[str]:
    hrefs = set(re.findall(r'href="(/[^"#]*)"', html))
    return {h.replace("&amp;", "&") for h in hrefs if not h.startswith(("/static/", "/refdata/"))}


@pytest.mark.parametrize("role", ROLES)
def test_no_link_on_a_roles_pages_leads_to_403(client, personas, role):
    client.force_login(getattr(personas, role))
    home = client.get("/", follow=True)
    pages = {"/"} | _links(home.content.decode())
    seen: dict[str, int] = {}
    forbidden = []
    for page in sorted(pages):
        response = client.get(page, follow=True)
        seen[page] = response.status_code
        if response.status_code == 403:
            forbidden.append(("navigation", page))
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()) - set(seen):
            if "export=" in link:
                continue
            status = client.get(link).status_code
            seen[link] = status
            if status == 403:
                forbidden.append((page, link))
    assert forbidden == []
