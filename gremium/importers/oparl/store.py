"""Applying what a run read, in dependency order: terms and places, bodies, persons,
organizations, memberships, then meetings (with their items, papers and files) through
`meetings.from_document`, then what the source deleted. Each object is stored on its own;
one that cannot be stored is reported and the others go on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.audit.services import Actor
from gremium.importers.oparl.client import Client
from gremium.importers.oparl.crawl import BODY_KEY, kind_of
from gremium.importers.oparl.document import Built, build_meeting, parse_date, text
from gremium.importers.oparl.models import MirroredObject
from gremium.importers.oparl.problems import ProblemClass, Problems
from gremium.lib.document_json import document_to_dict
from gremium.lib.document_structure import DocumentKind
from gremium.lib.errors import DomainError
from gremium.lib.upload_checks import CheckedFile, check_upload, refuse_oversize
from gremium.meetings import services
from gremium.meetings.from_document import ROLES, meeting_store_document
from gremium.meetings.models import Meeting, MeetingState
from gremium.organizations.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    MembershipRole,
    Organization,
    OrganizationClassification,
    Person,
)

BY = Actor.system("gremium import-oparl")
ORGANIZATION_TYPES = {
    "fraktion": OrganizationClassification.PARTY_GROUP,
    "gremium": OrganizationClassification.COMMITTEE,
}


def digest(data: Any) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class Tally:
    """Objects per type and what became of them: the run's summary."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[(kind, outcome)] += 1

    def changed(self) -> int:
        return sum(n for (_k, o), n in self.counts.items() if o in CHANGES)


CHANGES = ("created", "updated", "deleted")


class Mirror:
    """The source as the mirror knows it: this run's objects over what earlier runs kept."""

    def __init__(
        self,
        objects: dict[str, dict[str, Any]],
        problems: Problems,
        download: Client | None = None,
    ) -> None:
        self.fresh = objects
        self.download = download  # with --files: the files' bytes are fetched and kept
        self.problems = problems
        self.tally = Tally()
        self.rows = {row.source_id: row for row in MirroredObject.objects.all()}
        self._memberships: dict[str, dict[str, dict[str, Any]]] | None = None
        # Local meeting → the source meeting it was stored from.
        self.owners = {
            r.local_id: r.source_id
            for r in self.rows.values()
            if r.local_model == "meetings.meeting"
        }

    # -- the view documents are built from ------------------------------------------------

    def get(self, source_id: str) -> dict[str, Any] | None:
        if source_id in self.fresh:
            return self.fresh[source_id]
        row = self.rows.get(source_id)
        return row.data if row is not None and not row.deleted else None

    def known(self, source_id: str) -> bool:
        return source_id in self.rows

    def memberships_of(self, organization_id: str) -> dict[str, dict[str, Any]]:
        if self._memberships is None:
            self._memberships = {}
            for data in self._all("Membership"):
                if data.get("deleted") is not True and isinstance(data.get("person"), str):
                    org = str(data.get("organization"))
                    self._memberships.setdefault(org, {})[data["person"]] = data
        return self._memberships.get(organization_id, {})

    def _all(self, kind: str) -> Iterable[dict[str, Any]]:
        seen = set()
        for source_id, data in self.fresh.items():
            if kind_of(data) == kind:
                seen.add(source_id)
                yield data
        for source_id, row in self.rows.items():
            if row.kind == kind and source_id not in seen and not row.deleted:
                yield row.data

    # -- applying -------------------------------------------------------------------------

    def apply(self, meeting_done: Callable[[], None] = lambda: None) -> None:
        changed = self._changed_ids()
        for kind, store in (
            ("Body", self._body),
            ("LegislativeTerm", self._term),
            ("Location", self._location),
            ("Person", self._person),
            ("Organization", self._organization),
            ("Membership", self._membership),
        ):
            for source_id in sorted(changed.get(kind, ())):
                self._simple(kind, source_id, store)
        for source_id in self._meetings_to_build(changed):
            self._meeting(source_id)
            meeting_done()
        self._remember_unmapped(changed)

    def _changed_ids(self) -> dict[str, set[str]]:
        """This run's objects that are new or differ from what was kept, by type."""
        changed: dict[str, set[str]] = {}
        for source_id, data in self.fresh.items():
            if kind_of(data) == "File" and not _downloadable(data):
                # A File must say where its bytes are; a copy of them cannot be kept here.
                self.problems.add(ProblemClass.DOWNLOAD, source_id, _("File uden downloadUrl"))
            row = self.rows.get(source_id)
            if row is None and data.get("deleted") is True:
                continue  # removed before this mirror ever had it: nothing to undo
            if row is None or row.digest != digest(data):
                changed.setdefault(kind_of(data), set()).add(source_id)
            else:
                self.tally.add(kind_of(data), "unchanged")
        return changed

    def _row(self, source_id: str, data: dict[str, Any]) -> MirroredObject:
        row = self.rows.get(source_id) or MirroredObject(source_id=source_id)
        row.kind = kind_of(data)
        row.data = data
        row.digest = digest(data)
        row.modified = text(data.get("modified"))[:40]
        row.deleted = data.get("deleted") is True
        self.rows[source_id] = row
        return row

    def _simple(self, kind: str, source_id: str, store: Callable[..., models.Model | None]) -> None:
        data = self.fresh[source_id]
        row = self.rows.get(source_id)
        local = _local(row)
        try:
            with transaction.atomic():
                if data.get("deleted") is True:
                    outcome = self._delete(local)
                    local = None
                else:
                    body = self._local_body(data)
                    created = local is None
                    local = store(data, body, local)
                    outcome = "created" if created else "updated"
                    if local is None:
                        return
                row = self._row(source_id, data)
                row.local_model = local._meta.label_lower if local is not None else ""
                row.local_id = local.pk if local is not None else None
                row.save()
        except (DomainError, DatabaseError, ValueError) as error:
            self.problems.add(ProblemClass.STORE, source_id, str(error)[:300])
            return
        self.tally.add(kind, outcome)

    def _delete(self, local: models.Model | None) -> str:
        if local is not None:
            try:
                with transaction.atomic():
                    local.delete()
            except models.ProtectedError:
                # Still in use by a meeting here: it stays until that meeting goes too.
                return "kept"
        return "deleted"

    def _local_body(self, data: dict[str, Any]) -> Body | None:
        source = self.rows.get(str(data.get(BODY_KEY, "")))
        local = _local(source)
        return local if isinstance(local, Body) else None

    def _problem(self, source_id: str, message: str) -> None:
        self.problems.add(ProblemClass.MISSING, source_id, message)

    # -- the simple kinds: (data, body, local) → local ------------------------------------

    def _body(self, data: dict[str, Any], _body: Body | None, local: Any) -> Body | None:
        name = text(data.get("name")) or text(data.get("shortName"))
        if not name:
            self._problem(data["id"], _("kommunen har intet navn"))
            return None
        body = local or Body.objects.filter(name=name).first() or Body(name=name)
        body.name = name[:200]
        body.short_name = text(data.get("shortName"))[:50]
        body.save()
        return body

    def _term(self, data: dict[str, Any], body: Body | None, local: Any) -> Any:
        start, end = parse_date(data.get("startDate")), parse_date(data.get("endDate"))
        if body is None or start is None or end is None:
            self._problem(data["id"], _("valgperioden mangler kommune, start eller slut"))
            return None
        term = local or LegislativeTerm(body=body)
        term.name = (text(data.get("name")) or f"{start.year}–{end.year}")[:100]
        term.start_date, term.end_date = start, end
        term.save()
        return term

    def _location(self, data: dict[str, Any], body: Body | None, local: Any) -> Any:
        description = next(
            (
                text(data.get(k))
                for k in ("description", "room", "streetAddress")
                if text(data.get(k))
            ),
            "",
        )
        if body is None or not description:
            self._problem(data["id"], _("stedet har ingen betegnelse"))
            return None
        place = local or Location.objects.filter(body=body, description=description[:200]).first()
        place = place or Location(body=body)
        place.description = description[:200]
        place.street_address = text(data.get("streetAddress"))[:200]
        place.postal_code = text(data.get("postalCode"))[:10]
        place.locality = text(data.get("locality"))[:100]
        place.room = text(data.get("room"))[:100]
        place.save()
        return place

    def _person(self, data: dict[str, Any], body: Body | None, local: Any) -> Any:
        given, family = text(data.get("givenName")), text(data.get("familyName"))
        name = text(data.get("name")) or " ".join(p for p in (given, family) if p)
        if body is None or not name:
            self._problem(data["id"], _("personen har intet navn"))
            return None
        person = local or Person.objects.filter(body=body, name=name[:200]).first()
        person = person or Person(body=body)
        person.name, person.given_name, person.family_name = name[:200], given[:100], family[:100]
        person.save()
        return person

    def _organization(self, data: dict[str, Any], body: Body | None, local: Any) -> Any:
        name = text(data.get("name")) or text(data.get("shortName"))
        if body is None or not name:
            self._problem(data["id"], _("organisationen har intet navn"))
            return None
        organization = local or Organization.objects.filter(body=body, name=name[:200]).first()
        organization = organization or Organization(body=body)
        organization.name = name[:200]
        organization.short_name = text(data.get("shortName"))[:50]
        kind = text(data.get("organizationType")).casefold()
        if text(data.get("classification")).casefold() == "kommunalbestyrelse":
            organization.classification = OrganizationClassification.COUNCIL
        else:
            organization.classification = ORGANIZATION_TYPES.get(
                kind, OrganizationClassification.OTHER
            )
        organization.start_date = parse_date(data.get("startDate"))
        organization.end_date = parse_date(data.get("endDate"))
        organization.save()
        return organization

    def _membership(self, data: dict[str, Any], _body: Body | None, local: Any) -> Any:
        person = _local(self.rows.get(str(data.get("person"))))
        organization = _local(self.rows.get(str(data.get("organization"))))
        if not isinstance(person, Person) or not isinstance(organization, Organization):
            self._problem(data["id"], _("medlemskabets person eller organisation kendes ikke"))
            return None
        membership = (
            local or Membership.objects.filter(person=person, organization=organization).first()
        )
        membership = membership or Membership(person=person, organization=organization)
        membership.role = ROLES.get(text(data.get("role")).casefold(), MembershipRole.MEMBER)
        membership.voting_right = data.get("votingRight") is not False
        membership.party = text(data.get("gremium:party"))[:50]
        membership.start_date = parse_date(data.get("startDate"))
        membership.end_date = parse_date(data.get("endDate"))
        membership.save()
        return membership

    # -- meetings -------------------------------------------------------------------------

    def _meetings_to_build(self, changed: dict[str, set[str]]) -> list[str]:
        """Meetings read in this run, and those whose items, consultations, papers or
        files changed although the meeting itself was not listed as changed."""
        wanted = set(changed.get("Meeting", ()))
        touched = set().union(
            *(
                changed.get(k, set())
                for k in (
                    "AgendaItem",
                    "Consultation",
                    "Paper",
                    "File",
                    "Person",
                    "Organization",
                    "Membership",
                    "Location",
                )
            )
        )
        if touched:
            for data in self._all("Meeting"):
                if touched & set(_meeting_parts(data, self.get)):
                    wanted.add(data["id"])
        return sorted(wanted)

    def _meeting(self, source_id: str) -> None:
        data = self.get(source_id)
        if data is None:
            return
        row = self.rows.get(source_id)
        if data.get("deleted") is True:
            self._withdraw(source_id, data, row)
            return
        body = self._local_body(data)
        if body is None:
            self._problem(source_id, _("mødets kommune kendes ikke"))
            return
        built = build_meeting(data, body.name, self)
        for reason in built.problems:
            self._problem(source_id, reason)
        if built.document is None:
            self._row(source_id, data).save()
            return
        files = self._fetch_files(built) if self.download is not None else {}
        built = _with_file_digests(built, self._file_digest)
        document = built.document
        assert document is not None
        built_digest = digest([document_to_dict(document), built.cancelled])
        local = _local(row)
        if row is not None and row.built == built_digest and local is not None:
            self._row(source_id, data).save()
            self.tally.add("Meeting", "unchanged")
            return
        try:
            meeting = self._store_meeting(built, local)
        except (DomainError, DatabaseError) as error:
            self.problems.add(ProblemClass.STORE, source_id, str(error)[:300])
            return
        self._keep_files(meeting, built, files)
        row = self._row(source_id, data)
        row.built = built_digest
        row.local_model, row.local_id = "meetings.meeting", meeting.pk
        self.owners[meeting.pk] = source_id
        row.save()
        self.tally.add("Meeting", "updated" if local is not None else "created")

    def _store_meeting(self, built: Built, local: models.Model | None) -> Meeting:
        document = built.document
        assert document is not None
        with transaction.atomic():
            self._refuse_taken(document, local)
            if isinstance(local, Meeting) and _moved(
                local, document.organization_name, document.start
            ):
                services.meeting_delete(meeting=local, by=BY, withdrawn_at_source=True)
            meeting = meeting_store_document(document=document, by=BY, replace=True).meeting
            if document.kind is DocumentKind.AGENDA and meeting.state == MeetingState.PLANNED:
                meeting = services.meeting_publish_agenda(meeting=meeting, by=BY, keep_pdf=False)
            if built.cancelled and meeting.state == MeetingState.AGENDA_PUBLISHED:
                meeting = services.meeting_cancel(meeting=meeting, by=BY)
        return meeting

    # -- files (--files) -------------------------------------------------------------------

    def _file_digest(self, file_id: str) -> str:
        row = self.rows.get(file_id)
        return row.built if row is not None else ""

    def _fetch_files(self, built: Built) -> dict[str, CheckedFile]:
        """The bytes of the meeting's Files not kept before (or changed), checked like an
        upload; each file that cannot be had is reported and left as metadata."""
        wanted = [
            f
            for files in built.files.values()
            for f in files
            if not self._file_digest(f["id"]) or self._file_changed(f["id"])
        ]
        with ThreadPoolExecutor(max_workers=4) as pool:
            fetched = list(pool.map(self._fetch_file, wanted))
        checked = {}
        for file, result in zip(wanted, fetched, strict=True):
            if result is not None:
                checked[file["id"]] = result
                row = self._row(file["id"], file)
                row.built = hashlib.sha256(result.content).hexdigest()
                row.save()
        return checked

    def _file_changed(self, file_id: str) -> bool:
        row = self.rows.get(file_id)
        return file_id in self.fresh and (row is None or row.digest != digest(self.fresh[file_id]))

    def _fetch_file(self, file: dict[str, Any]) -> CheckedFile | None:
        assert self.download is not None
        url = text(file.get("downloadUrl")) or text(file.get("accessUrl"))
        if not url:
            return None
        answer = self.download.answer(url)
        if answer is None:
            return None
        name = text(file.get("fileName")) or PurePosixPath(urlsplit(url).path).name
        try:
            refuse_oversize(name, len(answer.body))
            return check_upload(name, answer.body)
        except DomainError as error:
            self.problems.add(ProblemClass.DOWNLOAD, file["id"], str(error)[:300])
            return None

    def _keep_files(self, meeting: Meeting, built: Built, files: dict[str, CheckedFile]) -> None:
        """Each attachment the meeting was stored with gets the file fetched for it."""
        if not files:
            return
        items = meeting.items.order_by("order").prefetch_related("attachments")
        for index, item in enumerate(items):
            for attachment, file in zip(
                item.attachments.all(), built.files.get(index, []), strict=False
            ):
                checked = files.get(file["id"])
                if checked is None or attachment.file:
                    continue
                try:
                    services.attachment_keep_file(
                        attachment=attachment, filename=checked.name, content=checked.content, by=BY
                    )
                except (DomainError, DatabaseError) as error:
                    self.problems.add(ProblemClass.DOWNLOAD, file["id"], str(error)[:300])

    def _refuse_taken(self, document: Any, local: models.Model | None) -> None:
        """gremium knows a meeting by its committee and start: a second source meeting at
        the same time in the same committee would overwrite the first on every run."""
        other = Meeting.objects.filter(
            organization__body__name=document.body_name,
            organization__name=document.organization_name,
            start=_aware(document.start),
        ).first()
        if other is None or (local is not None and other.pk == local.pk):
            return
        owner = self.owners.get(other.pk)
        if owner is not None:
            raise DomainError(
                _("%(organization)s har allerede et møde %(start)s fra %(owner)s.")
                % {
                    "organization": document.organization_name,
                    "start": document.start,
                    "owner": owner,
                }
            )

    def _withdraw(self, source_id: str, data: dict[str, Any], row: MirroredObject | None) -> None:
        local = _local(row)
        try:
            if isinstance(local, Meeting):
                services.meeting_delete(meeting=local, by=BY, withdrawn_at_source=True)
        except DomainError as error:
            self.problems.add(ProblemClass.STORE, source_id, str(error)[:300])
            return
        kept = self._row(source_id, data)
        kept.local_model, kept.local_id, kept.built = "", None, ""
        kept.save()
        self.tally.add("Meeting", "deleted")

    def _remember_unmapped(self, changed: dict[str, set[str]]) -> None:
        """Items, papers, consultations and files are kept as data: meetings are built
        from them, also in a later run that reads only what changed."""
        for kind in ("AgendaItem", "Paper", "Consultation", "File", "System"):
            for source_id in changed.get(kind, ()):
                data = self.fresh[source_id]
                deleted = data.get("deleted") is True
                known = source_id in self.rows
                self._row(source_id, data).save()
                self.tally.add(
                    kind,
                    "deleted" if deleted else "updated" if known else "created",
                )


def _with_file_digests(built: Built, file_digest: Callable[[str], str]) -> Built:
    """The attachments with the sha256 of the file kept for them: the stored record names
    the file it has, and a file that changes rebuilds the meeting."""
    document = built.document
    assert document is not None
    items = []
    for index, item in enumerate(document.items):
        refs = tuple(
            dataclasses.replace(ref, sha256=file_digest(file["id"]))
            for ref, file in zip(item.attachments, built.files.get(index, []), strict=False)
        )
        items.append(dataclasses.replace(item, attachments=refs) if refs else item)
    return dataclasses.replace(built, document=dataclasses.replace(document, items=tuple(items)))


def _downloadable(file: dict[str, Any]) -> bool:
    return file.get("deleted") is True or bool(text(file.get("downloadUrl")))


def _local(row: MirroredObject | None) -> Any:
    if row is None or not row.local_model or row.local_id is None:
        return None
    from django.apps import apps

    model = apps.get_model(row.local_model)
    return model.objects.filter(pk=row.local_id).first()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _moved(meeting: Meeting, organization: str, start: dt.datetime) -> bool:
    return meeting.organization.name != organization or meeting.start != start


def _file_ids(item: dict[str, Any] | None) -> list[str]:
    value = (item or {}).get("auxiliaryFile")
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _meeting_parts(
    meeting: dict[str, Any], get: Callable[[str], dict[str, Any] | None]
) -> Iterable[str]:
    """The ids of everything a meeting's document is built from."""
    for key in ("organization", "participant", "agendaItem", "location"):
        value = meeting.get(key)
        yield from (
            v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)
        )
    for item_id in meeting.get("agendaItem") or []:
        item = get(item_id) if isinstance(item_id, str) else None
        if item is None:
            continue
        yield from _file_ids(item)
        consultation_id = item.get("consultation")
        if isinstance(consultation_id, str):
            yield consultation_id
            consultation = get(consultation_id)
            if consultation and isinstance(consultation.get("paper"), str):
                yield consultation["paper"]
