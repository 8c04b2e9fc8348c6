from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/login/verify/", views.login_otp_view, name="login_otp"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/invitation/<str:token>/", views.invitation_view, name="invitation"),
    path("accounts/me/", views.account_view, name="account"),
    path("accounts/me/two-factor/", views.two_factor_view, name="two_factor"),
    path("accounts/me/tokens/", views.token_create_view, name="token_create"),
    path("accounts/me/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/invite/", views.user_invite_view, name="user_invite"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/active/", views.user_active_view, name="user_active"),
    path("users/<int:pk>/reinvite/", views.user_reinvite_view, name="user_reinvite"),
    path("users/roles/<int:pk>/revoke/", views.role_revoke_view, name="role_revoke"),
]
