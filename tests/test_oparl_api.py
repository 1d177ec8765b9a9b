"""The OParl API's rules one by one: how the domain maps onto OParl's objects, the list
rules (pages, filters carried in the links, bad parameters), omit_internal, conditional
requests, CORS, file URLs and checksums, the vendor extension, and tombstones."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from gremium.organizations.models import Membership
from tests.factories import UserFactory
from tests.oparl_archive import Archive, generate

pytestmark = pytest.mark.django_db
SYSTEM = "http://testserver/oparl/v1.1/"
BY = Actor.system("test")


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker) -> Iterator[Archive]:  # type: ignore[no-untyped-def]
    """One archive for the module, in a transaction rolled back at its end; each test runs
    in a savepoint inside it, so what a test changes is gone for the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(10)
        transaction.set_rollback(True)


def _get(client: Client, url: str, **headers: str) -> Any:
    return client.get(url, headers=headers)


def _list(client: Client, archive: Archive, name: str, query: str = "") -> list[dict[str, Any]]:
    url = f"{SYSTEM}body/{archive.body.pk}/{name}{query}"
    elements: list[dict[str, Any]] = []
    while url:
        page = client.get(url).json()
        elements += page["data"]
        url = page["links"].get("next")
    return elements


def _meeting(client: Client, meeting: Meeting) -> dict[str, Any]:
    return client.get(f"{SYSTEM}meeting/{meeting.pk}").json()


def _at(moment: Any) -> str:
    return quote(moment.isoformat())


# -- the mapping ----------------------------------------------------------------------


def test_meeting_states_and_files(archive, client):
    shown = {m.pk: _meeting(client, m) for m in archive.public}
    for meeting in archive.public:
        data = shown[meeting.pk]
        expected = {
            MeetingState.AGENDA_PUBLISHED: ("eingeladen", False),
            MeetingState.HELD: ("eingeladen", False),
            MeetingState.CANCELLED: ("eingeladen", True),
            MeetingState.MINUTES_PUBLISHED: ("durchgeführt", False),
            MeetingState.APPROVED: ("durchgeführt", False),
        }[MeetingState(meeting.state)]
        assert (data["meetingState"], data["cancelled"]) == expected
        assert data["organization"] == [f"{SYSTEM}organization/{meeting.organization_id}"]
        assert data["web"] == f"http://testserver/moeder/{meeting.pk}/"
    approved = [m for m in archive.public if m.state == MeetingState.APPROVED]
    assert approved and all("resultsProtocol" in shown[m.pk] for m in approved)
    # Approved, corrected by an addendum and approved again: the newest approval is the
    # protocol, the first one stays as an auxiliary file.
    (corrected,) = [m for m in approved if m.minutes_versions.count() > 1]
    kept = corrected.stored_documents.filter(audience="public", kind="minutes")
    first, second = kept.order_by("created", "pk")
    assert shown[corrected.pk]["resultsProtocol"]["id"] == f"{SYSTEM}file/document/{second.pk}"
    assert [f["id"] for f in shown[corrected.pk]["auxiliaryFile"]] == [
        f"{SYSTEM}file/document/{first.pk}"
    ]
    # The first published agenda was kept as sent out: it is the invitation.
    sent = Meeting.objects.filter(stored_documents__kind="agenda").distinct()
    assert sent and all("invitation" in shown[m.pk] for m in sent if m.pk in shown)


def test_agenda_items_have_order_number_and_only_public_content(archive, client):
    meeting = next(m for m in archive.public if m.state == MeetingState.MINUTES_PUBLISHED)
    items = _meeting(client, meeting)["agendaItem"]
    rows = list(meeting.items.order_by("order"))
    assert [i["order"] for i in items] == list(range(len(rows)))
    assert [i["number"] for i in items] == [str(row.number) for row in rows]
    closed = [i for i in items if not i["public"]]
    (closed_row,) = [row for row in rows if not row.public]
    assert closed == [
        {
            "id": f"{SYSTEM}agendaItem/{closed_row.pk}",
            "type": "https://schema.oparl.org/1.1/AgendaItem",
            "meeting": f"{SYSTEM}meeting/{meeting.pk}",
            "number": str(closed_row.number),
            "order": rows.index(closed_row),
            "name": "Lukket punkt: Personalesag",
            "public": False,
            "web": f"http://testserver/moeder/{meeting.pk}/#punkt-{closed_row.number}",
            "created": closed[0]["created"],
            "modified": closed[0]["modified"],
        }
    ]
    opened = [i for i in items if i["public"]]
    assert all(i["result"] == "Godkendt" and i["resolutionText"] for i in opened)
    assert all("consultation" in i and i["auxiliaryFile"] for i in opened)


def test_an_agenda_has_no_decisions_yet(archive, client):
    meeting = next(m for m in archive.public if m.state == MeetingState.AGENDA_PUBLISHED)
    for item in _meeting(client, meeting)["agendaItem"]:
        assert not {"result", "resolutionText"} & set(item)
        assert not any(key.startswith("gremium:") for key in item)


def test_a_paper_is_named_by_its_open_item_with_the_case_number(archive, client):
    papers = {p["reference"]: p for p in _list(client, archive, "paper")}
    item = AgendaItem.objects.filter(meeting=archive.public[0], public=True).first()
    assert item is not None and item.paper is not None
    paper = papers[item.paper.reference]
    assert paper["name"] == item.title
    (consultation,) = paper["consultation"]
    assert consultation["agendaItem"] == f"{SYSTEM}agendaItem/{item.pk}"
    assert consultation["organization"] == [f"{SYSTEM}organization/{item.organization_id}"]
    assert consultation["authoritative"] is False
    # A closed item's case is no paper of the API.
    closed = AgendaItem.objects.filter(public=False).exclude(paper=None)
    assert not {row.paper.reference for row in closed} & set(papers)  # type: ignore[union-attr]


# -- the vendor extension ----------------------------------------------------------------


def test_votes_absences_and_conflicts_as_vendor_extension(archive, client):
    meeting = next(m for m in archive.public if m.state == MeetingState.MINUTES_PUBLISHED)
    first, second, *rest = _meeting(client, meeting)["agendaItem"]
    votes = first["gremium:votes"]
    assert votes["result"] == "voor"
    assert votes["counts"] == {"voor": 2, "tegen": 1, "onthouden": 0}
    assert [v["choice"] for v in votes["votes"]] == ["voor", "voor", "tegen"]
    for vote in votes["votes"]:
        person = client.get(vote["person"]).json()
        assert person["name"] == vote["name"]
    members = Membership.objects.filter(organization=meeting.organization).order_by("pk")
    party = {m.person.name: m.party for m in members}
    expected = {}
    for vote in votes["votes"]:
        expected.setdefault(party[vote["name"]], set()).add(vote["choice"])
    assert {p["party"]: p["result"] for p in votes["parties"]} == {
        name: "aangenomen" if choices == {"voor"} else "verworpen"
        for name, choices in expected.items()
    }
    assert [a["name"] for a in second["gremium:absent"]] == [members[1].person.name]
    assert [a["name"] for a in second["gremium:conflictOfInterest"]] == [members[2].person.name]
    assert not any(key.startswith("gremium:") for item in rest for key in item)


# -- lists ------------------------------------------------------------------------------


def test_pages_links_and_a_stable_order(archive, client):
    url = f"{SYSTEM}body/{archive.body.pk}/agendaItem?limit=7"
    total = AgendaItem.objects.filter(meeting__in=archive.public).count()
    ids: list[int] = []
    pages = 0
    while url:
        page = client.get(url).json()
        pages += 1
        pagination, links = page["pagination"], page["links"]
        assert pagination["elementsPerPage"] == 7
        assert pagination["totalElements"] == total
        assert pagination["currentPage"] == pages
        assert links["self"] == url and links["first"].endswith("agendaItem?limit=7")
        assert ("next" in links) == (pages < pagination["totalPages"])
        assert len(page["data"]) == (7 if "next" in links else total - 7 * (pages - 1))
        ids += [int(item["id"].rsplit("/", 1)[1]) for item in page["data"]]
        url = links.get("next")
    assert pages == -(-total // 7) and ids == sorted(ids) and len(set(ids)) == total


def test_filters_select_by_created_and_modified_and_stay_in_the_links(archive, client):
    before = timezone.now()
    time.sleep(0.01)
    meeting = archive.public[0]
    item = meeting.items.filter(public=True).order_by("order").last()
    assert item is not None
    services.agenda_item_update(
        item=item, title="Ny titel", by=BY, expected_version=item.version
    ) if meeting.state != MeetingState.APPROVED else services.meeting_add_addendum(
        item=item, text="Rettelse", reason="Fejl", by=BY
    )
    changed = _list(client, archive, "agendaItem", f"?modified_since={_at(before)}&limit=2")
    assert {i["meeting"] for i in changed} == {f"{SYSTEM}meeting/{meeting.pk}"}
    assert len(changed) == meeting.items.count()
    unchanged = _list(client, archive, "agendaItem", f"?modified_until={_at(before)}")
    assert not {i["id"] for i in changed} & {i["id"] for i in unchanged}
    assert _list(client, archive, "meeting", f"?created_since={_at(before)}") == []
    old = _list(client, archive, "meeting", f"?created_until={_at(before)}")
    assert len(old) == len(archive.public)
    page = client.get(
        f"{SYSTEM}body/{archive.body.pk}/agendaItem?modified_since={_at(before)}&limit=2"
    ).json()
    for link in page["links"].values():
        query = parse_qs(urlsplit(link).query)
        assert query["modified_since"] == [before.isoformat()] and query["limit"] == ["2"]


def test_an_unencoded_offset_and_a_date_are_understood(archive, client):
    base = f"{SYSTEM}body/{archive.body.pk}/meeting"
    for value in ("2000-01-01T00:00:00+01:00", "2000-01-01"):
        answer = client.get(f"{base}?created_since={value}")
        assert answer.status_code == 200
        assert answer.json()["pagination"]["totalElements"] == len(archive.public)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("modified_since=igår", "Parameteren modified_since skal være et tidspunkt"),
        ("limit=nul", "Parameteren limit skal være et helt tal større end 0"),
        ("page=0", "Parameteren page skal være et helt tal større end 0"),
    ],
)
def test_bad_parameters_are_refused_in_danish(archive, client, query, message):
    answer = client.get(f"{SYSTEM}body/{archive.body.pk}/meeting?{query}")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert message in answer.json()["error"]


def test_a_page_beyond_the_last_and_an_unknown_list_are_404(archive, client):
    assert client.get(f"{SYSTEM}body/{archive.body.pk}/meeting?page=99").status_code == 404
    assert client.get(f"{SYSTEM}body/{archive.body.pk}/sager").status_code == 404
    assert client.get(f"{SYSTEM}body/999/meeting").status_code == 404


def test_a_limit_above_100_is_100(archive, client):
    page = client.get(f"{SYSTEM}body/{archive.body.pk}/agendaItem?limit=5000").json()
    assert page["pagination"]["elementsPerPage"] == 100


def test_omit_internal_leaves_out_embedded_objects(archive, client):
    url = f"{SYSTEM}body/{archive.body.pk}/meeting?omit_internal=true&limit=3"
    page = client.get(url).json()
    embedded = {"agendaItem", "location", "invitation", "resultsProtocol", "auxiliaryFile"}
    assert all(not embedded & set(m) for m in page["data"])
    assert all("omit_internal=true" in link for link in page["links"].values())
    person = client.get(f"{SYSTEM}body/{archive.body.pk}/person?omit_internal=1").json()
    assert all("membership" not in p for p in person["data"])
    full = client.get(f"{SYSTEM}body/{archive.body.pk}/person").json()
    assert all(p["membership"] for p in full["data"])


def test_an_organizations_meetings(archive, client):
    organization = archive.public[0].organization
    org = client.get(f"{SYSTEM}organization/{organization.pk}").json()
    listed = client.get(org["meeting"]).json()["data"]
    expected = [m for m in archive.public if m.organization_id == organization.pk]
    assert sorted(m["id"] for m in listed) == sorted(f"{SYSTEM}meeting/{m.pk}" for m in expected)


# -- HTTP ---------------------------------------------------------------------------------


def test_etag_and_304(archive, client):
    url = f"{SYSTEM}meeting/{archive.public[0].pk}"
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "public, no-cache"
    again = _get(client, url, if_none_match=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*" and again.content == b""
    item = archive.public[0].items.filter(public=True).first()
    assert item is not None
    services.meeting_add_addendum(item=item, text="Rettelse", reason="Fejl", by=BY)
    changed = _get(client, url, if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_cors_for_reading_only(archive, client):
    url = f"{SYSTEM}body/{archive.body.pk}/meeting"
    answer = client.get(url)
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer["Access-Control-Expose-Headers"] == "ETag"
    assert answer["Content-Type"] == "application/json"
    # The site's policy for data (sandbox) stops nothing a client does with JSON.
    assert answer["Content-Security-Policy"] == "sandbox"
    preflight = client.options(url, headers={"Origin": "https://example.org"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert client.head(url).status_code == 200
    for write in (client.post, client.put, client.delete):
        refused = write(url)
        assert refused.status_code == 405
        assert "Access-Control-Allow-Origin" not in refused


def test_a_logged_in_administrator_gets_what_the_public_gets(archive, client):
    url = f"{SYSTEM}meeting/{archive.public[0].pk}"
    public = client.get(url).content
    admin = Client()
    admin.force_login(UserFactory(username="chef", is_superuser=True, is_staff=True))
    assert admin.get(url).content == public


def test_file_urls_checksums_and_text(archive, client):
    files = _list(client, archive, "file")
    assert {f["id"].split("/")[-2] for f in files} == {"attachment", "document"}
    for found in files:
        download = client.get(found["downloadUrl"])
        body = b"".join(download.streaming_content)
        assert download["Content-Disposition"].startswith("attachment; filename=")
        assert download["Content-Disposition"].isascii()
        assert hashlib.sha512(body).hexdigest() == found["sha512Checksum"]
        assert len(body) == found["size"]
        access = client.get(found["accessUrl"])
        assert access.status_code == 200
        assert not access.get("Content-Disposition", "").startswith("attachment")
        assert found["text"]
    pdf = next(f for f in files if f["mimeType"] == "application/pdf")
    assert "DAGSORDEN" in pdf["text"] or "REFERAT" in pdf["text"]


# -- tombstones -------------------------------------------------------------------------


def test_an_item_opened_again_is_listed_as_itself(archive, client):
    (withdrawn, *_) = archive.withdrawn_items
    withdrawn.refresh_from_db()
    attachment = withdrawn.attachments.get(name="trukket")
    url = f"{SYSTEM}file/attachment/{attachment.pk}"
    assert client.get(url).json()["deleted"] is True
    services.agenda_item_update(
        item=withdrawn,
        public=True,
        public_title="",
        by=BY,
        expected_version=withdrawn.version,
    )
    assert "deleted" not in client.get(url).json()
    changes = _list(
        client, archive, "file", f"?modified_since={_at(timezone.now().replace(year=2000))}"
    )
    assert [f for f in changes if f["id"] == url and not f.get("deleted")]


def test_a_removed_membership_dates_its_person(archive, client):
    membership = Membership.objects.filter(organization__body=archive.body).first()
    assert membership is not None
    url = f"{SYSTEM}person/{membership.person_id}"
    before = client.get(url).json()["modified"]
    time.sleep(1)
    membership_id = membership.pk
    membership.delete()
    person = client.get(url).json()
    assert person["modified"] > before
    seats = {m["id"] for m in person.get("membership", [])}
    assert f"{SYSTEM}membership/{membership_id}" not in seats
    stub = client.get(f"{SYSTEM}membership/{membership_id}").json()
    assert stub["deleted"] is True and stub["modified"] >= person["modified"][:19]


def test_votes_named_by_party_only_and_a_party_that_abstained():
    """Imported minutes often say only "For stemte: A, V": the parties' results are known,
    the counts are not; a party whose members all abstained has no ODS result."""
    from gremium.lib import document_structure as s
    from gremium.oparl.extension import item_extension

    item = s.Item(
        number=3,
        title="Lokalplan",
        votes=(
            s.VoteLine("For", ("A", "V"), ()),
            s.VoteLine("Imod", ("V", "O"), ()),
            s.VoteLine("Undlod", ("F",), ()),
        ),
    )
    assert item_extension(item, lambda name: None) == {
        "gremium:votes": {
            "parties": [
                {"party": "A", "result": "aangenomen"},
                {"party": "V", "result": "verdeeld"},
                {"party": "O", "result": "verworpen"},
            ]
        }
    }
    tied = s.Item(
        number=4,
        title="Budget",
        votes=(s.VoteLine("For", (), ("Anne",)), s.VoteLine("Imod", (), ("Bo",))),
        absent=("Carl",),
    )
    extension = item_extension(tied, lambda name: f"https://x/person/{name}")
    assert extension["gremium:votes"]["result"] == "gelijk"
    assert extension["gremium:absent"] == [{"name": "Carl", "person": "https://x/person/Carl"}]
