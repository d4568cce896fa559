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


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_reads_in_chinese_and_beijing_time(client, personas, role):
    """The walk a new user takes, as each role: two levels of links from the home page; no page
    shows a UTC time, raw JSON or an English error page."""
    client.force_login(getattr(personas, role))
    home = client.get("/", follow=True)
    pages = {"/"} | _links(home.content.decode())
    for page in sorted(pages):
        response = client.get(page, follow=True)
        if "html" in response.get("Content-Type", ""):
            pages |= {link for link in _links(response.content.decode()) if "export=" not in link}
    problems = []
    for page in sorted(pages):
        response = client.get(page, follow=True)
        if "html" not in response.get("Content-Type", ""):
            continue
        text = _visible_text(response.content.decode())
        for sign, what in (("+00:00", "UTC time"), ("{&quot;", "raw JSON"), ('{"', "raw JSON")):
            if sign in text:
                problems.append((page, what))
        for english in ("Page not found", "Forbidden", "Server Error", "Traceback"):
            if english in text:
                problems.append((page, english))
        if not re.search(r"[\u4e00-\u9fff]", text):
            problems.append((page, "no Chinese"))
    assert problems == []
