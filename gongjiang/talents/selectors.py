"""Reads of the talent database, always through the scope rule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from gongjiang.accounts.models import User
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.core.crypto import decrypt
from gongjiang.core.validators import compact, local_today

from .counting import counts_on
from .models import Certificate, Person
from .services import resident_id_digest


def looks_like_resident_id(text: str) -> bool:
    value = compact(text).upper()
    return len(value) == 18 and value[:17].isdigit()


# A full ID typed into a search box travels on as its keyed digest ("sfz-" + 64 hex), so the
# number itself never appears in a URL, the browser's history or the server's log.
ID_SEARCH_PREFIX = "sfz-"
_ID_TOKEN = re.compile(r"^sfz-[0-9a-f]{64}$")


def id_search_token(text: str) -> str:
    """``text`` with a full resident ID replaced by its search token; other text unchanged."""
    if looks_like_resident_id(text):
        return ID_SEARCH_PREFIX + resident_id_digest(compact(text).upper())
    return text


def id_token_digest(text: str) -> str | None:
    """The digest a search token carries, or None when ``text`` is not one."""
    value = text.strip()
    return value.removeprefix(ID_SEARCH_PREFIX) if _ID_TOKEN.match(value) else None


def id_search_digest(text: str) -> str | None:
    """The ID digest a search text asks for: from a full ID or its token; None otherwise."""
    if looks_like_resident_id(text):
        return resident_id_digest(compact(text).upper())
    return id_token_digest(text)


def person_list(*, user: User, action: str = "view") -> QuerySet[Person]:
    """The persons ``user`` may ``action``, with what the list shows joined in."""
    return Person.objects.for_user(user, action).select_related(
        "region", "employer", "occupation", "domain", "highest_level"
    )


# "张伟 1814", "张伟1814", "张伟 320703********1814": a name and the last four characters of the
# ID (optionally the masked ID copied from a list, whose first six are then compared too).
_NAME_AND_TAIL = re.compile(r"^(?P<name>[^\d*]{2,20}?)(?:(?P<head>\d{6})\*+)?(?P<tail>\d{3}[\dXx])$")
# A partial ID alone (digits, masked stars): an exact lookup needs the whole number.
_PARTIAL_ID = re.compile(r"^[\d*X]*\d[\d*X]*$")

# A name + last four search decrypts the in-scope persons of that exact name; a name shared by
# more than this many is refused (use the full ID), so the search stays cheap and narrow.
NAME_AND_TAIL_LIMIT = 2000


@dataclass(frozen=True)
class PersonSearch:
    """What the search box's text asks for: ``kind`` is "", "full_id", "name", "name_tail" or
    "partial_id" (refused with a hint)."""

    kind: str
    name: str = ""
    head: str = ""
    tail: str = ""


def person_search_parse(text: str) -> PersonSearch:
    value = compact(text)
    if not value:
        return PersonSearch("")
    if looks_like_resident_id(value) or id_token_digest(value):
        return PersonSearch("full_id")
    match = _NAME_AND_TAIL.match(value)
    if match:
        return PersonSearch("name_tail", match["name"], match["head"] or "", match["tail"].upper())
    if _PARTIAL_ID.match(value.upper()):
        return PersonSearch("partial_id")
    return PersonSearch("name", name=value)


def person_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """A full ID number finds its person by digest; a name with the ID's last four (or the masked
    ID from a list) finds the persons of exactly that name in ``queryset`` (the caller's scope)
    whose ID ends so: only those few rows are decrypted, and nobody is found by digits alone; a
    partial ID alone finds nobody (the page says how to search); anything else is the start of a
    name."""
    search = person_search_parse(text)
    if search.kind == "":
        return queryset
    if search.kind == "full_id":
        return queryset.filter(id_digest=id_search_digest(compact(text)))
    if search.kind == "partial_id":
        return queryset.none()
    if search.kind == "name_tail":
        candidates = list(
            queryset.filter(name=search.name)
            .order_by()
            .values_list("pk", "id_cipher")[: NAME_AND_TAIL_LIMIT + 1]
        )
        if len(candidates) > NAME_AND_TAIL_LIMIT:
            return queryset.none()
        found = []
        for pk, cipher in candidates:
            number = decrypt(cipher)
            if number.endswith(search.tail) and number.startswith(search.head):
                found.append(pk)
        return queryset.filter(pk__in=found)
    return queryset.filter(name__startswith=search.name)


def person_search_hint(text: str) -> str:
    """How to search, for a text that cannot find anyone by itself (a partial or masked ID)."""
    if person_search_parse(text).kind == "partial_id":
        return (
            "列表中的身份证号已脱敏，不能用来查找。请输入完整的 18 位身份证号，或姓名；"
            "也可输入“姓名 + 身份证号后四位”，例如“张伟 1814”。"
        )
    return ""


def person_profile(*, user: User, pk: int) -> Person:
    """One person in scope with certificates for the timeline (oldest first); 404 outside scope."""
    certificates = Certificate.objects.select_related("cert_type", "level", "occupation").order_by(
        "issue_date", "id"
    )
    queryset = Person.objects.select_related(
        "region", "employer", "occupation", "domain", "highest_level"
    ).prefetch_related(Prefetch("certificates", queryset=certificates))
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def high_skilled_certificate(person: Person, certificates: Iterable[Certificate]) -> Certificate | None:
    """The certificate that made ``person`` high-skilled, as ``services.persons_refresh_derived``
    derives it: the first (by issue date) of the certificates at 高级工 or above that count today
    (the one rule, ``counting.counts_on``). For an introduced talent it is still this certificate, though the
    date it counts from (``high_skilled_since``) is the later introduction date. None when the
    person is not high-skilled. Works on the profile's prefetched certificates (no query); the
    tests hold it to the SQL derivation. Not stored: the import's merge fills the derived fields of
    new persons in its own INSERT, which would need the same change."""
    if not person.is_high_skilled:
        return None
    today = local_today()
    counted = [c for c in certificates if counts_on(c, today) and c.level.is_high_skilled]
    return min(counted, key=lambda c: (c.issue_date, c.pk), default=None)


def certificate_list(*, user: User, action: str = "view") -> QuerySet[Certificate]:
    return Certificate.objects.for_user(user, action).select_related(
        "person", "person__region", "cert_type", "level", "occupation"
    )
