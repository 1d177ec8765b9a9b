from __future__ import annotations

from django.urls import path

from gremium.accounts import views

app_name = "accounts"
urlpatterns = [
    path("log-ind/", views.login_view, name="login"),
    path("log-ind/kode/", views.verify_view, name="verify"),
    path("log-ud/", views.logout_view, name="logout"),
    path("totrin/", views.two_factor_setup, name="two_factor_setup"),
]
