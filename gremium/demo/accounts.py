"""Logins for trying the demo: a secretary of the seed committee and one per member.

Passwords are random and printed once; accounts that exist are left as they are. Never
run this against production data: `gremium demo --accounts` is for a local trial only.
"""

from __future__ import annotations

import secrets
import unicodedata

from django.contrib.auth import get_user_model
from django.db import transaction

from gremium.accounts.models import SecretaryAssignment
from gremium.meetings.models import Meeting


def demo_accounts(meeting: Meeting) -> list[tuple[str, str, str]]:
    """Create the missing logins; returns (role, username, password) for each new one."""
    created: list[tuple[str, str, str]] = []
    with transaction.atomic():
        secretary = _user("sekretaer", "Demo Sekretær", created, "sekretær")
        if secretary is not None:
            SecretaryAssignment.objects.get_or_create(
                user=secretary, organization=meeting.organization
            )
        for attendance in meeting.attendances.select_related("person"):
            person = attendance.person
            if person.user_id is None:
                user = _user(_username(person.name), person.name, created, "medlem")
                if user is not None:
                    person.user = user
                    person.save(update_fields=["user"])
    return created


def _user(username: str, full_name: str, created: list, role: str):  # type: ignore[no-untyped-def]
    model = get_user_model()
    if model.objects.filter(username=username).exists():
        return None
    password = secrets.token_urlsafe(9)
    first, _space, last = full_name.partition(" ")
    user = model.objects.create_user(
        username=username, password=password, first_name=first, last_name=last
    )
    created.append((role, username, password))
    return user


def _username(name: str) -> str:
    ascii_name = (
        unicodedata.normalize(
            "NFKD",
            name.replace("ø", "oe")
            .replace("æ", "ae")
            .replace("å", "aa")
            .replace("Ø", "Oe")
            .replace("Æ", "Ae")
            .replace("Å", "Aa"),
        )
        .encode("ascii", "ignore")
        .decode()
    )
    return ".".join(ascii_name.lower().split())
