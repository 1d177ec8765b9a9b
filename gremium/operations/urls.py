from __future__ import annotations

from django.urls import path

from gremium.operations.metrics import metrics

app_name = "operations"
urlpatterns = [path("metrics", metrics, name="metrics")]
