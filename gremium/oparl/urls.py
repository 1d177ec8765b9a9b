from __future__ import annotations

from django.urls import path

from gremium.oparl import views

app_name = "oparl"


def _object(route: str, kind: str):  # type: ignore[no-untyped-def]
    return path(f"{route}/<int:pk>", views.detail, {"kind": kind}, name=kind)


urlpatterns = [
    path("", views.system, name="system"),
    path("body", views.bodies, name="bodies"),
    _object("body", "body"),
    path("body/<int:pk>/<str:name>", views.body_list, name="body-list"),
    _object("organization", "organization"),
    path(
        "organization/<int:pk>/meeting",
        views.organization_meetings,
        name="organization-meetings",
    ),
    _object("person", "person"),
    _object("membership", "membership"),
    _object("meeting", "meeting"),
    _object("agendaItem", "agendaItem"),
    _object("paper", "paper"),
    _object("consultation", "consultation"),
    _object("location", "location"),
    _object("legislativeTerm", "legislativeTerm"),
    _object("file/attachment", "attachment"),
    path(
        "file/attachment/<int:pk>/download",
        views.attachment_download,
        name="attachment-download",
    ),
    _object("file/document", "document"),
    path("file/document/<int:pk>/pdf", views.document_access, name="document-access"),
    path("file/document/<int:pk>/download", views.document_download, name="document-download"),
]
