"""Top-level URLs: the public portal at the root, the OParl 1.1 API, the admin for staff data
repair, and the site's own error pages (gremium/lib/error_pages.py)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("gremium.accounts.urls")),
    path("kontor/", include("gremium.office.urls")),
    # The language switcher in base.html posts here (gremium/lib/language.py). Without a
    # CSRF token: public pages are cached and the same for every reader, so they cannot
    # carry one, and a forged post can do no more than change the interface language.
    path("sprog/", csrf_exempt(set_language), name="set_language"),
    path("oparl/v1.1/", include("gremium.oparl.urls")),
    path("", include("gremium.operations.urls")),
    path("", include("gremium.portal.urls")),
]

handler400 = "gremium.lib.error_pages.bad_request"
handler403 = "gremium.lib.error_pages.permission_denied"
handler404 = "gremium.lib.error_pages.page_not_found"
handler500 = "gremium.lib.error_pages.server_error"
