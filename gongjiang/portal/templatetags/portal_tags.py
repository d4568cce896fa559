"""The QR code of a certificate's verification link, drawn by segno as an SVG data URI."""

from __future__ import annotations

import segno
from django import template
from django.urls import reverse

from gongjiang.portal.tokens import certificate_token

register = template.Library()


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


@register.simple_tag(takes_context=True)
def verify_link(context, certificate_id: int) -> str:
    """The absolute URL of a certificate's signed verification page."""
    path = reverse("portal:verify_link", args=[certificate_token(certificate_id)])
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def qr_uri(url: str) -> str:
    return qr_data_uri(url)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "")
