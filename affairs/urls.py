from django.urls import path

from . import views

app_name = "affairs"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("org/<int:org_id>/", views.board_view, name="board"),
    path("org/<int:org_id>/manage/", views.manage_view, name="manage"),
    path("org/<int:org_id>/items/new/", views.item_create_view, name="item_create"),
    path("org/<int:org_id>/ask/", views.ask_view, name="ask"),
    path("org/<int:org_id>/questions/", views.questions_view, name="questions"),
    path("org/<int:org_id>/surveys/new/", views.survey_create_view, name="survey_create"),
    path("items/<int:pk>/", views.item_view, name="item"),
    path("questions/<int:pk>/", views.question_view, name="question"),
    path("questions/<int:pk>/answer/", views.answer_view, name="answer"),
    path("surveys/<int:pk>/", views.survey_view, name="survey"),
    path("surveys/<int:pk>/respond/", views.survey_respond_view, name="survey_respond"),
]
