"""Top-level URLs: the public portal at the root, the admin for staff data repair."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("gremium.accounts.urls")),
    path("kontor/", include("gremium.office.urls")),
    path("", include("gremium.portal.urls")),
]
