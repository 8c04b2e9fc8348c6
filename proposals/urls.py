from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("overdue/", views.overdue_view, name="overdue"),
    path("calls/new/", views.call_create_view, name="call_create"),
    path("calls/<int:pk>/", views.call_detail_view, name="call_detail"),
    path("calls/<int:pk>/submit/", views.submit_view, name="submit"),
    path("calls/<int:pk>/report/", views.report_view, name="report"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("cosigns/<int:pk>/respond/", views.cosign_respond_view, name="cosign_respond"),
    path("<int:pk>/invite/", views.invite_view, name="invite"),
    path("<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("<int:pk>/review/", views.review_view, name="review"),
    path("<int:pk>/assign/", views.assign_view, name="assign"),
    path("<int:pk>/reply/", views.reply_view, name="reply"),
    path("<int:pk>/follow-up/", views.follow_up_view, name="follow_up"),
    path("<int:pk>/evaluate/", views.evaluate_view, name="evaluate"),
    path("<int:pk>/reopen/", views.reopen_view, name="reopen"),
    path("<int:pk>/archive/", views.archive_view, name="archive"),
]
