from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", views.signup_view, name="signup"),
    path("accounts/email/confirm/<str:token>/", views.email_confirm_view, name="email-confirm"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # These two come before django.contrib.auth.urls (careerguide/urls.py), whose paths and
    # un-namespaced names ("password_change", "password_reset") stay as they are: our views
    # limit the password re-check and the reset requests, and build links from SITE_URL.
    path("accounts/password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    # The admin's second factor (staff only): a code, and enrolling an authenticator app.
    path("accounts/two-factor/", two_factor_views.second_factor_view, name="two-factor"),
    path(
        "accounts/two-factor/setup/",
        two_factor_views.second_factor_setup_view,
        name="two-factor-setup",
    ),
    path("profile/", views.profile_view, name="profile"),
    path("profile/export/", views.data_export_view, name="export"),
    path("profile/delete/", views.account_delete_view, name="delete"),
]
