from django.urls import path

from . import views

app_name = "bargaining"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("new/", views.create_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/answer/", views.answer_view, name="answer"),
    path("<int:pk>/negotiators/", views.negotiator_add_view, name="negotiator_add"),
    path("negotiators/<int:pk>/vacate/", views.negotiator_vacate_view, name="negotiator_vacate"),
    path("<int:pk>/rounds/", views.round_add_view, name="round_add"),
    path("<int:pk>/drafts/", views.draft_add_view, name="draft_add"),
    path("<int:pk>/drafts/diff/", views.diff_view, name="diff"),
    path("<int:pk>/submit/", views.submit_draft_view, name="submit_draft"),
    path("<int:pk>/vote/", views.vote_view, name="vote"),
    path("<int:pk>/vote/poll/", views.vote_from_poll_view, name="vote_from_poll"),
    path("<int:pk>/sign/", views.sign_view, name="sign"),
    path("<int:pk>/file/", views.file_view, name="file"),
    path("<int:pk>/objection/", views.objection_view, name="objection"),
    path("<int:pk>/take-effect/", views.take_effect_view, name="take_effect"),
    path("<int:pk>/renew/", views.renew_view, name="renew"),
    path("<int:pk>/expire/", views.expire_view, name="expire"),
    path("<int:pk>/checks/", views.check_add_view, name="check_add"),
    path("<int:pk>/print/", views.print_view, name="print"),
]
