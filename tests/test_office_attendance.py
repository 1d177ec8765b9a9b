"""Attendance for the whole meeting in one form: everyone present unless marked, with
substitutes chosen from the body or created on the spot; bad input changes nothing."""

from __future__ import annotations

import re

import pytest

from gremium.audit.services import Actor
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.models import Attendance, AttendanceStatus
from gremium.organizations.models import Person
from tests.factories import BodyFactory, PersonFactory
from tests.office_scenario import recorded_meeting

pytestmark = pytest.mark.django_db
BY = Actor.system("test")


@pytest.fixture
def held(client):
    scenario = recorded_meeting(usernames=("anne", "bo", "carl"))
    client.force_login(scenario.secretary)
    return scenario, client, f"/kontor/moeder/{scenario.meeting.pk}/fremmoede/"


def _all_present(members):
    return {f"attendance-status_{p.pk}": "present" for p in members}


def test_the_page_shows_one_form_with_everyone_present_by_default(held):
    scenario, client, url = held
    Attendance.objects.filter(meeting=scenario.meeting).delete()
    html = client.get(url).content.decode()
    assert html.count('<form method="post" action="' + url) == 1
    for person in scenario.members:
        present = re.search(
            rf'<input[^>]*name="attendance-status_{person.pk}" value="present"[^>]*>', html
        )
        absent = re.search(
            rf'<input[^>]*name="attendance-status_{person.pk}" value="absent"[^>]*>', html
        )
        assert present and "checked" in present.group(0)
        assert absent and "checked" not in absent.group(0)


def test_one_save_records_absence_note_and_both_kinds_of_substitute(held):
    scenario, client, url = held
    anne, bo, carl = scenario.members
    other = PersonFactory(name="Dorte Suppleant", body=scenario.meeting.organization.body)
    data = _all_present(scenario.members)
    data |= {
        f"attendance-status_{bo.pk}": "absent",
        f"attendance-sub_{bo.pk}": other.pk,
        f"attendance-status_{carl.pk}": "absent",
        f"attendance-sub_name_{carl.pk}": "Erik Ny",
        f"attendance-sub_party_{carl.pk}": "V",
        f"attendance-note_{anne.pk}": "kom kl. 16.20",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    rows = {a.person.name: a for a in scenario.meeting.attendances.select_related("person")}
    assert rows[anne.name].status == AttendanceStatus.PRESENT
    assert rows[anne.name].note == "kom kl. 16.20"
    assert rows[bo.name].status == AttendanceStatus.ABSENT
    assert rows["Dorte Suppleant"].status == AttendanceStatus.SUBSTITUTE
    assert rows["Dorte Suppleant"].substitute_for == bo
    created = Person.objects.get(name="Erik Ny")
    assert created.body_id == scenario.meeting.organization.body_id
    assert rows["Erik Ny"].substitute_for == carl
    assert rows["Erik Ny"].note == "Parti: V"


def test_a_substitute_for_a_present_member_is_refused_and_nothing_changes(held):
    scenario, client, url = held
    anne = scenario.members[0]
    before = list(scenario.meeting.attendances.values_list("person", "status", "note"))
    data = _all_present(scenario.members) | {
        f"attendance-status_{scenario.members[1].pk}": "absent",
        f"attendance-sub_name_{anne.pk}": "Falsk Navn",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "kun et fraværende medlem har en stedfortræder" in response.content.decode()
    assert list(scenario.meeting.attendances.values_list("person", "status", "note")) == before
    assert not Person.objects.filter(name="Falsk Navn").exists()


def test_a_substitute_from_another_body_is_refused_by_the_service(held):
    scenario, _client, _url = held
    bo = scenario.members[1]
    stranger = PersonFactory(body=BodyFactory(name="Nabokommune"))
    assert stranger.body_id != scenario.meeting.organization.body_id
    before = list(scenario.meeting.attendances.values_list("person", "status"))
    plan = services.AttendancePlan(
        absent=[bo], substitutes=[services.Substitute(member=bo, person=stranger)]
    )
    with pytest.raises(DomainError, match="hører ikke til"):
        services.attendance_record_all(
            meeting=scenario.meeting, members=scenario.members, plan=plan, by=BY
        )
    assert list(scenario.meeting.attendances.values_list("person", "status")) == before


def test_a_member_who_is_not_secretary_cannot_open_or_post_the_form(held):
    scenario, client, url = held
    client.force_login(scenario.members[0].user)
    before = scenario.meeting.attendances.count()
    assert client.get(url).status_code == 403
    assert client.post(url, _all_present(scenario.members)).status_code == 403
    assert scenario.meeting.attendances.count() == before
