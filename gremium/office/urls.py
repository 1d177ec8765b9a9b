from __future__ import annotations

from django.urls import path

from gremium.office import (
    approvals,
    attendance,
    decisions,
    items,
    meetings,
    progress,
    reorder,
    sections,
    template_views,
)

app_name = "office"
urlpatterns = [
    path("", meetings.dashboard, name="dashboard"),
    path("udvalg/<int:organization_id>/skabelon/", template_views.template_edit, name="template"),
    path("moeder/nyt/", meetings.meeting_create, name="meeting_create"),
    path("moeder/<int:meeting_id>/", meetings.meeting, name="meeting"),
    path("moeder/<int:meeting_id>/status/", meetings.meeting_transition, name="transition"),
    path("moeder/<int:meeting_id>/rediger/", meetings.meeting_edit, name="meeting_edit"),
    path("moeder/<int:meeting_id>/punkter/nyt/", meetings.item_add, name="item_add"),
    path("moeder/<int:meeting_id>/fremmoede/", attendance.attendance, name="attendance"),
    path("moeder/<int:meeting_id>/beslutninger/", decisions.record, name="record"),
    path("moeder/<int:meeting_id>/paamind/", progress.remind, name="remind"),
    path("moeder/<int:meeting_id>/historik/", meetings.history, name="history"),
    path("moeder/<int:meeting_id>/godkend/", approvals.approve, name="approve"),
    path("moeder/<int:meeting_id>/tilbagetraek/", approvals.withdraw, name="withdraw"),
    path("moeder/<int:meeting_id>/raekkefoelge/", reorder.items_reorder, name="items_reorder"),
    path("punkter/<int:item_id>/", items.item_edit, name="item"),
    path("punkter/<int:item_id>/forhaandsvisning/", sections.item_preview, name="item_preview"),
    path("punkter/<int:item_id>/kladde/", sections.item_draft, name="item_draft"),
    path(
        "punkter/<int:item_id>/kladde/kasser/",
        sections.item_draft_discard,
        name="item_draft_discard",
    ),
    path("punkter/<int:item_id>/position/", reorder.item_move_to, name="item_move_to"),
    path("punkter/<int:item_id>/slet/", reorder.item_delete, name="item_delete"),
    path(
        "punkter/<int:item_id>/bilag/<int:attachment_id>/fjern/",
        reorder.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "punkter/<int:item_id>/bilag/<int:attachment_id>/omdoeb/",
        reorder.attachment_rename,
        name="attachment_rename",
    ),
    path(
        "punkter/<int:item_id>/bilag/<int:attachment_id>/flyt/",
        reorder.attachment_move,
        name="attachment_move",
    ),
    path("punkter/<int:item_id>/flyt/", items.item_move, name="item_move"),
    path("punkter/<int:item_id>/bilag/", items.attachment_add, name="attachment_add"),
    path("punkter/<int:item_id>/beslutning/", items.decision, name="decision"),
    path(
        "punkter/<int:item_id>/beslutning/gem/", decisions.record_decision, name="record_decision"
    ),
    path("punkter/<int:item_id>/deltagelse/", items.participation, name="participation"),
    path(
        "punkter/<int:item_id>/deltagelse/<int:participation_id>/fjern/",
        items.participation_remove,
        name="participation_remove",
    ),
    path("punkter/<int:item_id>/stemme/", items.vote, name="vote"),
    path("punkter/<int:item_id>/protokoltilfoersel/", items.dissent, name="dissent"),
    path("punkter/<int:item_id>/tilfoejelse/", items.addendum, name="addendum"),
]
