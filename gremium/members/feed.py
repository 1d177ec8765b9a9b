"""A member's private Atom feed of their notices, at an address with a secret token (no
login: feed readers cannot log in). It carries what the mails carry: subjects and links,
never an item's text. A revoked or renewed token answers 404."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gremium.lib.calendar_uid import uid_domain
from gremium.notices.models import Notice, NoticePreference


@require_safe
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    preference = (
        NoticePreference.objects.select_related("user")
        .filter(feed_token=token, user__is_active=True)
        .exclude(feed_token="")
        .first()
    )
    if preference is None or len(token) < 20:
        raise Http404
    user = preference.user
    notices = Notice.objects.filter(person__user=user).select_related("meeting__organization__body")
    notices = notices.order_by("-created", "-id")[: settings.GREMIUM_FEED_ENTRIES]
    feed = Atom1Feed(
        title=_("Mine meddelelser"),
        link=f"{settings.GREMIUM_SITE_URL}/medlem/",
        description="",
        language=settings.LANGUAGE_CODE,
        feed_guid=f"tag:{uid_domain('gremium')},2026:member-feed-{user.pk}",
    )
    for notice in notices:
        domain = uid_domain(notice.meeting.organization.body.name)
        feed.add_item(
            title=notice.subject,
            link=notice.link,
            description="",
            unique_id=f"tag:{domain},2026:notice-{notice.pk}",
            updateddate=notice.created,
            pubdate=notice.created,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
