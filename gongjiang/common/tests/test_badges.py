"""One status badge: the colour is declared on the choices, and every page and table draws it the
same way from the object."""

import pytest
from django.db import models
from django.template import Context, Template

from gongjiang.carriers.choices import CarrierStatus
from gongjiang.carriers.tests.factories import CarrierFactory
from gongjiang.common.badges import badge, coloured
from gongjiang.evaluation.choices import BatchStatus


def test_colours_are_declared_on_the_choices():
    assert CarrierStatus.colours["revoked"] == "danger"
    assert BatchStatus.colours["published"] == "success"
    assert badge(CarrierStatus, "returned") == '<span class="badge text-bg-warning">退回补正</span>'


def test_a_colour_for_a_value_the_choices_do_not_have_is_refused():
    with pytest.raises(ValueError, match="unknown values"):

        @coloured(nowhere="danger")
        class Broken(models.TextChoices):
            HERE = "here", "这里"


@pytest.mark.django_db
def test_the_template_tag_draws_the_badge_from_the_object(personas):
    carrier = CarrierFactory(host=personas.org_haizhou, status=CarrierStatus.RECOGNISED, level="city")
    html = Template('{% load common_tags %}{% status_badge c testid="status" %}').render(
        Context({"c": carrier})
    )
    assert html == '<span class="badge text-bg-success" data-testid="status">已认定</span>'
