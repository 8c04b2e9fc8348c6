from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("new/", views.create_view, name="create"),
    path("notice/", views.notice_view, name="notice"),
    path("funds/", views.funds_view, name="funds"),
    path("standards/", views.standards_view, name="standards"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/members/", views.member_add_view, name="member_add"),
    path("members/<int:pk>/remove/", views.member_remove_view, name="member_remove"),
    path("members/<int:pk>/reveal/", views.member_reveal_view, name="member_reveal"),
    path("<int:pk>/reclassify/", views.reclassify_view, name="reclassify"),
    path("<int:pk>/consent/", views.consent_view, name="consent"),
    path("<int:pk>/review/", views.review_view, name="review"),
    path("<int:pk>/visit/", views.visit_view, name="visit"),
    path("<int:pk>/notice/", views.notice_start_view, name="notice_start"),
    path("<int:pk>/approve/", views.approve_view, name="approve"),
    path("<int:pk>/archive/", views.archive_view, name="archive"),
    path("<int:pk>/recheck/", views.recheck_view, name="recheck"),
    path("<int:pk>/close/", views.close_view, name="close"),
    path("<int:pk>/payments/", views.payment_add_view, name="payment_add"),
    path("payments/<int:pk>/reverse/", views.payment_reverse_view, name="payment_reverse"),
    path("<int:pk>/reveal/<str:field>/", views.reveal_view, name="reveal"),
]
