"""Every drop-down on every page the city admin opens: "全部" at most once, never Django's
"---------" (a form's empty choice says 请选择); and every field on those pages has its Bootstrap
look (form-control, form-select, form-check-input), so no form is left as bare browser widgets."""

import re

import pytest
from django.db import transaction

from gongjiang.accounts.tests.test_url_table import TABLE, _carrier_for, _job_of
from gongjiang.evaluation.tests.factories import url_table_objects

pytestmark = pytest.mark.django_db


def _selects(html: str) -> list[tuple[str, list[str]]]:
    out = []
    for attrs, body in re.findall(r"<select([^>]*)>(.*?)</select>", html, flags=re.S):
        name = re.search(r'name="([^"]*)"', attrs)
        options = [" ".join(t.split()) for t in re.findall(r"<option[^>]*>(.*?)</option>", body, flags=re.S)]
        out.append((name.group(1) if name else "?", options))
    return out


_STYLE = {"select": "form-select", "textarea": "form-control"}
_CHECKS = {"checkbox", "radio"}
_NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


def _unstyled(html: str) -> list[str]:
    """Names of the form fields without the class that gives them the look of the rest."""
    out = []
    for tag, attrs in re.findall(r"<(input|select|textarea)\b([^>]*)>", html):
        kind = re.search(r'type="([^"]*)"', attrs)
        kind = kind.group(1) if kind else "text"
        if tag == "input" and kind in _NOT_FIELDS:
            continue
        css = re.search(r'class="([^"]*)"', attrs)
        classes = set(css.group(1).split()) if css else set()
        wanted = _STYLE.get(tag, "form-check-input" if kind in _CHECKS else "form-control")
        if wanted not in classes and "btn-check" not in classes:
            name = re.search(r'name="([^"]*)"', attrs)
            out.append("%s %s" % (tag, name.group(1) if name else "?"))
    return out


def test_drop_downs_say_all_once_and_never_dashes(client, personas):
    client.force_login(personas.city)
    person = personas.person_haizhou
    job = _job_of(personas.city)
    evaluation = url_table_objects(personas)
    problems = []
    for name, (method, template, expected) in TABLE.items():
        if method != "get" or expected.get("city", expected.get("*")) != 200:
            continue
        with transaction.atomic():  # each URL's objects are made afresh and rolled back
            problems += _check(client, name, template, personas, person, job, evaluation)
            transaction.set_rollback(True)
    assert problems == [], "\n".join(map(str, problems))


def _check(client, name, template, personas, person, job, evaluation) -> list:
    problems = []
    if True:
        url = (
            template(personas)
            if callable(template)
            else template.format(
                person=person.pk,
                certificate=person.certificates.first().pk,
                org=personas.org_haizhou.pk,
                job=job.pk,
                carrier=_carrier_for(name, personas) if "{carrier}" in template else "",
                **evaluation,
            )
        )
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return []
        html = response.content.decode()
        problems += [(url, field, "no Bootstrap class") for field in _unstyled(html)]
        # A list's filters: "no filter" reads 全部 (a form to fill in says 请选择).
        for search in re.findall(r'<form[^>]*role="search"[^>]*>(.*?)</form>', html, flags=re.S):
            problems += [
                (url, select, "请选择 in a filter") for select, o in _selects(search) if "请选择" in o
            ]
        for select, options in _selects(html):
            if options.count("全部") > 1:
                problems.append((url, select, "全部 twice"))
            if any(set(o) == {"-"} for o in options):
                problems.append((url, select, "---------"))
    return problems


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        ([("", "全部"), ("a", "甲"), ("b", "乙 <b>&")], "b", {"class": "form-select", "id": "id_x"}),
        ([("", "请选择"), ("组一", [("1", "一"), ("2", "二")]), ("3", "三")], "2", {"required": True}),
        ([(1, "一"), (2, "二")], None, {"disabled": False, "data-x": 'q"'}),
    ],
)
def test_quick_select_writes_what_djangos_select_writes(choices, value, attrs):
    from django import forms

    from gongjiang.common.forms import QuickSelect

    def normal(html: str) -> str:
        return re.sub(r">\s+<", "><", " ".join(str(html).split()))

    django_html = forms.Select(choices=choices).render("x", value, attrs=dict(attrs))
    quick_html = QuickSelect(choices=choices).render("x", value, attrs=dict(attrs))
    assert normal(quick_html) == normal(django_html)


def test_bootstrapify_styles_quick_selects_as_drop_downs():
    from django import forms

    from gongjiang.common.forms import QuickSelect, bootstrapify

    class F(forms.Form):
        kind = forms.ChoiceField(choices=[("a", "甲")])

    form = F()
    bootstrapify(form, small=True)
    assert type(form.fields["kind"].widget) is QuickSelect
    assert form.fields["kind"].widget.attrs["class"] == "form-select form-select-sm"
