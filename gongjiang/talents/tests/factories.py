"""Factories that write persons the way the services do (encrypted ID and phone, digest, derived
fields refreshed), so tests see exactly what production rows look like."""

import datetime
import random

import factory

from gongjiang.common.demo import make_name, make_phone, make_resident_id
from gongjiang.core.crypto import digest, encrypt
from gongjiang.core.validators import normalise_resident_id
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import persons_refresh_derived, resident_id_digest

# A seed of its own: the benchmarks generate their rosters from seed 7, and a persona that drew the
# same ID as a roster row would turn a created person into an updated one.
_rng = random.Random(104_729)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        exclude = ("id_number", "phone")

    id_number = factory.LazyFunction(lambda: make_resident_id(_rng))
    phone = factory.LazyFunction(lambda: make_phone(_rng))
    name = factory.LazyFunction(lambda: make_name(_rng))
    region_id = "320706"
    id_cipher = factory.LazyAttribute(lambda o: encrypt(o.id_number))
    id_digest = factory.LazyAttribute(lambda o: resident_id_digest(o.id_number))
    phone_cipher = factory.LazyAttribute(lambda o: encrypt(o.phone) if o.phone else "")
    phone_digest = factory.LazyAttribute(lambda o: digest(o.phone) if o.phone else "")
    birth_date = factory.LazyAttribute(lambda o: normalise_resident_id(o.id_number).birth_date)
    gender = factory.LazyAttribute(lambda o: normalise_resident_id(o.id_number).gender)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    cert_type_id = "skill_level"
    level_id = "GRADE3"
    number = factory.Sequence(lambda n: f"Y3207{n:017d}")
    issuer = "连云港市职业技能鉴定指导中心"
    issue_date = datetime.date(2026, 3, 1)

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):
        if create:
            persons_refresh_derived(person_ids=[obj.person_id])
            obj.person.refresh_from_db()
