"""Top-level URLs: the public portal at the root, the OParl 1.1 API, the admin for staff data
repair, and the site's own error pages (gremium/lib/error_pages.py)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("gremium.accounts.urls")),
    path("kontor/", include("gremium.office.urls")),
    path("medlem/", include("gremium.members.urls")),
    path("oparl/v1.1/", include("gremium.oparl.urls")),
    path("", include("gremium.operations.urls")),
    path("", include("gremium.portal.urls")),
]

handler400 = "gremium.lib.error_pages.bad_request"
handler403 = "gremium.lib.error_pages.permission_denied"
handler404 = "gremium.lib.error_pages.page_not_found"
handler500 = "gremium.lib.error_pages.server_error"
