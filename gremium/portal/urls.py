from __future__ import annotations

from django.urls import path

from gremium.portal import browse, follow, views
from gremium.portal.search import search_page

app_name = "portal"
urlpatterns = [
    path("", browse.home, name="home"),
    path("moeder/", browse.archive, name="archive"),
    path("moeder/<int:meeting_id>/", views.meeting, name="meeting"),
    path("moeder/<int:meeting_id>/punkt/<slug:key>/", browse.item, name="item"),
    path("udvalg/<slug:slug>/", browse.committee, name="committee"),
    path("sager/<int:paper_id>/", browse.paper, name="paper"),
    path("personer/<int:person_id>/", browse.person, name="person"),
    path("moeder/<int:meeting_id>/<str:variant>.pdf", views.meeting_pdf, name="meeting-pdf"),
    path(
        "moeder/<int:meeting_id>/referat/version/<int:stored_id>.pdf",
        views.minutes_version_pdf,
        name="minutes-version",
    ),
    path("bilag/<int:attachment_id>/", views.attachment, name="attachment"),
    path("kalender.ics", follow.body_calendar, name="body-ics"),
    path("feed.atom", follow.body_feed, name="body-feed"),
    path("udvalg/<slug:slug>/kalender.ics", follow.committee_calendar, name="committee-ics"),
    path("udvalg/<slug:slug>/feed.atom", follow.committee_feed, name="committee-feed"),
    path("personer/<int:person_id>/kalender.ics", follow.person_calendar, name="person-ics"),
    path("kommuner/<slug:slug>/", browse.body_home, name="body"),
    path("kommuner/<slug:slug>/kalender.ics", follow.one_body_calendar, name="one-body-ics"),
    path("kommuner/<slug:slug>/feed.atom", follow.one_body_feed, name="one-body-feed"),
    path("sitemap.xml", follow.sitemap, name="sitemap"),
    path("soeg/", search_page, name="search"),
]
