"""Persons and certificates of the talent database, read through the scope rule; personal data
masked unless revealed, and a reveal goes through the page's own service (audited the same)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Path, Query, Router, Schema, Status

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.core.validators import compact, normalise_resident_id
from gongjiang.talents.filters import CertificateFilterSet, PersonFilterSet
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.selectors import certificate_list, person_list, person_search
from gongjiang.talents.services import person_reveal

from .auth import TOKEN_AUTH
from .common import MAX_ID, READ_ERRORS, ErrorOut, PageQuery, PathId, error, list_page

router = Router(tags=["人员与证书"], auth=TOKEN_AUTH)


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str = Field(..., description="身份证号（脱敏）")
    id_digest: str = Field(..., description="身份证号的平台摘要，可用于按摘要查找")
    phone_masked: str = Field(..., description="手机号（脱敏）")
    gender: str
    region: str = Field(..., description="工作所在县区代码")
    region_name: str
    employer_id: int | None
    employer_name: str | None
    occupation: str | None
    domain: str | None
    highest_level: str | None
    is_high_skilled: bool
    high_skilled_since: datetime.date | None
    introduced_on: datetime.date | None

    @staticmethod
    def of(person: Person) -> dict:
        return {
            "id": person.pk,
            "name": person.name,
            "id_number_masked": person.id_masked,
            "id_digest": person.id_digest,
            "phone_masked": person.phone_masked,
            "gender": person.gender,
            "region": person.region_id,
            "region_name": person.region.name,
            "employer_id": person.employer_id,
            "employer_name": person.employer.name if person.employer_id else None,
            "occupation": person.occupation_id,
            "domain": person.domain_id,
            "highest_level": person.highest_level.name if person.highest_level_id else None,
            "is_high_skilled": person.is_high_skilled,
            "high_skilled_since": person.high_skilled_since,
            "introduced_on": person.introduced_on,
        }


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None = Field(None, description="下一页的游标；没有下一页时为 null")


class PersonQuery(PageQuery):
    """The person list page's filters."""

    q: str | None = Field(
        None, max_length=60, description="姓名开头、完整身份证号，或“姓名 + 身份证号后四位”"
    )
    region: str | None = Field(None, max_length=12, description="县区代码")
    domain: str | None = Field(None, max_length=40)
    highest_level: str | None = Field(None, max_length=20)
    is_high_skilled: bool | None = None
    employer: int | None = Field(None, ge=1, le=MAX_ID)
    employer_q: str | None = Field(None, max_length=60, description="工作单位名称或统一社会信用代码")
    occupation: str | None = Field(None, max_length=20)
    attained_year: int | None = Field(None, ge=1900, le=2100)
    since_from: datetime.date | None = None
    since_to: datetime.date | None = None
    skilled: bool | None = None


class LookupIn(Schema):
    id_number: str = Field(..., max_length=30, description="完整的 18 位身份证号")


class RevealIn(Schema):
    reason: str = Field(..., max_length=200, description="查看完整信息的事由（至少 2 个字）")


class RevealOut(Schema):
    id_number: str
    phone: str


_PERSON_DETAIL = Person.objects.select_related("region", "employer", "occupation", "domain", "highest_level")


def _person_queryset(user):
    return person_list(user=user)


@router.get("/persons", response={200: PersonPage, **READ_ERRORS}, url_name="person_list", summary="人员列表")
def persons(request, query: Query[PersonQuery]):
    return list_page(
        request,
        query,
        filterset_class=PersonFilterSet,
        queryset=_person_queryset(request.user),
        out=PersonOut,
    )


@router.post(
    "/persons/lookup",
    response={200: PersonOut, **READ_ERRORS},
    url_name="person_lookup",
    summary="按完整身份证号查找人员",
    description="身份证号放在请求体中（不出现在网址和日志里）；数据范围外或未登记均为 404。",
)
def person_lookup(request, payload: LookupIn):
    try:
        number = normalise_resident_id(compact(payload.id_number).upper()).number
    except DjangoValidationError as exc:
        return Status(
            422,
            error("身份证号无效", [{"row": None, "field": "id_number", "reason": "；".join(exc.messages)}]),
        )
    found = person_search(_person_queryset(request.user), number).first()
    if found is None:
        return Status(404, error("未找到该人员"))
    return PersonOut.of(found)


@router.get(
    "/persons/by-digest/{digest}",
    response={200: PersonOut, **READ_ERRORS},
    url_name="person_by_digest",
    summary="按身份证号摘要查找人员",
)
def person_by_digest(request, digest: str = Path(..., pattern="^[0-9a-f]{64}$")):
    return PersonOut.of(get_scoped_or_404(_PERSON_DETAIL, request.user, "view", id_digest=digest))


@router.get(
    "/persons/{person_id}",
    response={200: PersonOut, **READ_ERRORS},
    url_name="person_detail",
    summary="人员详情",
)
def person(request, person_id: PathId):
    return PersonOut.of(get_scoped_or_404(_PERSON_DETAIL, request.user, "view", pk=person_id))


@router.post(
    "/persons/{person_id}/reveal",
    response={200: RevealOut, **READ_ERRORS},
    url_name="person_reveal",
    summary="查看完整身份证号和手机号",
    description="需要查看完整信息的权限并填写事由；与页面上的“查看完整信息”为同一服务，逐次记入审计。",
)
def person_reveal_api(request, person_id: PathId, payload: RevealIn):
    found = get_scoped_or_404(Person.objects.all(), request.user, "reveal", pk=person_id)
    try:
        return person_reveal(actor=request.user, person=found, reason=payload.reason)
    except DjangoValidationError as exc:
        return Status(
            422,
            error(
                "；".join(exc.messages), [{"row": None, "field": "reason", "reason": "；".join(exc.messages)}]
            ),
        )


class CertificateOut(Schema):
    id: int
    number: str
    person_id: int
    person_name: str
    cert_type: str
    level: str | None
    occupation: str | None
    occupation_name: str
    issuer: str
    issue_date: datetime.date
    valid_until: datetime.date | None
    status: str = Field(..., description="valid 有效、revoked 已撤销、expired 已失效")

    @staticmethod
    def of(c: Certificate) -> dict:
        return {
            "id": c.pk,
            "number": c.number,
            "person_id": c.person_id,
            "person_name": c.person.name,
            "cert_type": c.cert_type_id,
            "level": c.level.name if c.level_id else None,
            "occupation": c.occupation_id,
            "occupation_name": c.occupation_name,
            "issuer": c.issuer,
            "issue_date": c.issue_date,
            "valid_until": c.valid_until,
            "status": c.status,
        }


class CertificatePage(Schema):
    items: list[CertificateOut]
    next_cursor: str | None = None


class CertificateQuery(PageQuery):
    q: str | None = Field(None, max_length=40, description="证书编号开头")
    cert_type: str | None = Field(None, max_length=40)
    level: str | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=10)
    region: str | None = Field(None, max_length=12)
    issued_from: datetime.date | None = None
    issued_to: datetime.date | None = None


@router.get(
    "/certificates",
    response={200: CertificatePage, **READ_ERRORS},
    url_name="certificate_list",
    summary="证书列表",
)
def certificates(request, query: Query[CertificateQuery]):
    return list_page(
        request,
        query,
        filterset_class=CertificateFilterSet,
        queryset=certificate_list(user=request.user),
        out=CertificateOut,
    )


@router.get(
    "/certificates/{certificate_id}",
    response={200: CertificateOut, **READ_ERRORS},
    url_name="certificate_detail",
    summary="证书详情",
)
def certificate(request, certificate_id: PathId):
    return CertificateOut.of(
        get_scoped_or_404(
            Certificate.objects.select_related("person", "level"), request.user, "view", pk=certificate_id
        )
    )


__all__ = ["ErrorOut", "router"]
