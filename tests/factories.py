"""factory_boy factories for the domain models (shared by all test modules)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from gremium.meetings.models import Meeting
from gremium.organizations.models import Body, Membership, Organization, Person


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("name",)

    name = "Prøvekommune"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Udvalg {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Medlem {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    party = "A"


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting; change state only through the services in tests."""

    class Meta:
        model = Meeting

    organization = factory.SubFactory(OrganizationFactory)
    start = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2026, 3, 2, 16, 0)))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"bruger{n}")
    password = factory.django.Password("hemmelig-kode-42")


class SecretaryAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.SecretaryAssignment"

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
