"""Organisations and training carriers, read through the scope rule with the list pages' filters."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.carriers.filters import CarrierFilterSet
from gongjiang.carriers.models import Carrier
from gongjiang.carriers.selectors import carrier_list
from gongjiang.orgs.filters import OrganisationFilterSet
from gongjiang.orgs.models import Organisation
from gongjiang.orgs.selectors import organisation_list

from .auth import TOKEN_AUTH
from .common import READ_ERRORS, PageQuery, PathId, list_page

router = Router(tags=["单位与培养载体"], auth=TOKEN_AUTH)


class OrganisationOut(Schema):
    id: int
    name: str
    uscc: str = Field(..., description="统一社会信用代码")
    kind: str
    region: str
    region_name: str
    domain: str | None
    size: str
    is_chain_leader: bool
    is_industry_leader: bool
    is_specialised: bool
    is_state_owned: bool

    @staticmethod
    def of(o: Organisation) -> dict:
        return {
            "id": o.pk,
            "name": o.name,
            "uscc": o.uscc,
            "kind": o.kind,
            "region": o.region_id,
            "region_name": o.region.name,
            "domain": o.domain_id,
            "size": o.size,
            "is_chain_leader": o.is_chain_leader,
            "is_industry_leader": o.is_industry_leader,
            "is_specialised": o.is_specialised,
            "is_state_owned": o.is_state_owned,
        }


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next_cursor: str | None = None


class OrganisationQuery(PageQuery):
    q: str | None = Field(None, max_length=60, description="名称或统一社会信用代码")
    kind: str | None = Field(None, max_length=30)
    region: str | None = Field(None, max_length=12)
    domain: str | None = Field(None, max_length=40)
    is_chain_leader: bool | None = None
    is_industry_leader: bool | None = None
    is_specialised: bool | None = None
    is_state_owned: bool | None = None


@router.get(
    "/organisations",
    response={200: OrganisationPage, **READ_ERRORS},
    url_name="organisation_list",
    summary="单位列表",
)
def organisations(request, query: Query[OrganisationQuery]):
    return list_page(
        request,
        query,
        filterset_class=OrganisationFilterSet,
        queryset=organisation_list(user=request.user),
        out=OrganisationOut,
    )


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **READ_ERRORS},
    url_name="organisation_detail",
    summary="单位详情",
)
def organisation(request, organisation_id: PathId):
    return OrganisationOut.of(
        get_scoped_or_404(
            Organisation.objects.select_related("region"), request.user, "view", pk=organisation_id
        )
    )


class CarrierOut(Schema):
    id: int
    name: str
    carrier_type: str
    carrier_type_name: str
    host_id: int
    host_name: str
    leader_name: str = Field(..., description="领办人姓名")
    region: str
    domain: str
    status: str
    applied_level: str
    level: str
    first_recognised_on: datetime.date | None
    city_level_since: datetime.date | None
    recognised_on: datetime.date | None
    revoked_on: datetime.date | None

    @staticmethod
    def of(c: Carrier) -> dict:
        return {
            "id": c.pk,
            "name": c.name,
            "carrier_type": c.carrier_type_id,
            "carrier_type_name": c.carrier_type.name,
            "host_id": c.host_id,
            "host_name": c.host.name,
            "leader_name": c.leader.name,
            "region": c.region_id,
            "domain": c.domain_id,
            "status": c.status,
            "applied_level": c.applied_level,
            "level": c.level,
            "first_recognised_on": c.first_recognised_on,
            "city_level_since": c.city_level_since,
            "recognised_on": c.recognised_on,
            "revoked_on": c.revoked_on,
        }


class CarrierPage(Schema):
    items: list[CarrierOut]
    next_cursor: str | None = None


class CarrierQuery(PageQuery):
    q: str | None = Field(None, max_length=60, description="载体名称或依托单位")
    carrier_type: str | None = Field(None, max_length=40)
    level: str | None = Field(None, max_length=10)
    region: str | None = Field(None, max_length=12)
    domain: str | None = Field(None, max_length=40)
    status: str | None = Field(None, max_length=20)


@router.get(
    "/carriers", response={200: CarrierPage, **READ_ERRORS}, url_name="carrier_list", summary="培养载体列表"
)
def carriers(request, query: Query[CarrierQuery]):
    return list_page(
        request,
        query,
        filterset_class=CarrierFilterSet,
        queryset=carrier_list(user=request.user),
        out=CarrierOut,
    )


@router.get(
    "/carriers/{carrier_id}",
    response={200: CarrierOut, **READ_ERRORS},
    url_name="carrier_detail",
    summary="培养载体详情",
)
def carrier(request, carrier_id: PathId):
    return CarrierOut.of(
        get_scoped_or_404(
            Carrier.objects.select_related("carrier_type", "host", "leader"),
            request.user,
            "view",
            pk=carrier_id,
        )
    )
