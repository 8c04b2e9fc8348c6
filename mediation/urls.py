from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("new/", views.case_new_view, name="case_new"),
    path("stats/", views.stats_view, name="stats"),
    path("committee/", views.committee_view, name="committee"),
    path("committee/new/<int:org_pk>/", views.committee_create_view, name="committee_create"),
    path("committee/<int:pk>/members/", views.committee_member_add_view, name="committee_member_add"),
    path(
        "committee/members/<int:pk>/remove/",
        views.committee_member_remove_view,
        name="committee_member_remove",
    ),
    path("<int:pk>/", views.case_detail_view, name="case_detail"),
    path("<int:pk>/parties/", views.party_add_view, name="party_add"),
    path("<int:pk>/claims/", views.claim_add_view, name="claim_add"),
    path("<int:pk>/sessions/", views.session_add_view, name="session_add"),
    path("<int:pk>/agree/", views.case_agree_view, name="case_agree"),
    path("<int:pk>/fail/", views.case_fail_view, name="case_fail"),
    path("<int:pk>/withdraw/", views.case_withdraw_view, name="case_withdraw"),
    path("<int:pk>/agreement/", views.agreement_print_view, name="agreement_print"),
]
