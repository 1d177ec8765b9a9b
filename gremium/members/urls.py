from __future__ import annotations

from django.urls import path

from gremium.members import feed, files, notes, preferences, reading

app_name = "members"
urlpatterns = [
    path("", reading.start, name="start"),
    path("moeder/<int:meeting_id>/", reading.meeting, name="meeting"),
    path("punkter/<int:item_id>/", reading.item, name="item"),
    path("bilag/<int:attachment_id>/vis/", files.attachment_inline, name="attachment-inline"),
    path("punkter/<int:item_id>/note/", notes.item_note, name="item-note"),
    path("bilag/<int:attachment_id>/note/", notes.attachment_note, name="attachment-note"),
    path("noter/slet/", notes.delete_all, name="notes-delete"),
    path("meddelelser/", preferences.preferences, name="preferences"),
    path("meddelelser/feed/", preferences.feed_token, name="feed-token"),
    path("feed/<str:token>.atom", feed.member_feed, name="feed"),
]
