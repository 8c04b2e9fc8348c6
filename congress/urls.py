from django.urls import path

from . import views

app_name = "congress"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("terms/new/", views.term_create_view, name="term_create"),
    path("terms/<int:pk>/", views.term_view, name="term"),
    path("terms/<int:pk>/constituencies/", views.constituency_add_view, name="constituency_add"),
    path("terms/<int:pk>/delegates/", views.delegate_add_view, name="delegate_add"),
    path("terms/<int:pk>/elections/", views.constituency_election_view, name="constituency_election"),
    path("terms/<int:pk>/delegates/print/", views.delegates_print_view, name="delegates_print"),
    path("terms/<int:pk>/sessions/", views.session_create_view, name="session_create"),
    path("delegates/<int:pk>/replace/", views.delegate_replace_view, name="delegate_replace"),
    path("sessions/<int:pk>/", views.session_view, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit_view, name="session_edit"),
    path("sessions/<int:pk>/agenda/", views.agenda_add_view, name="agenda_add"),
    path("sessions/<int:pk>/documents/", views.document_add_view, name="document_add"),
    path("sessions/<int:pk>/do/<str:action>/", views.session_action_view, name="session_action"),
    path("sessions/<int:pk>/cards/print/", views.cards_view, name="cards"),
    path("sessions/<int:pk>/checkin/<int:delegate_pk>/", views.checkin_manual_view, name="checkin_manual"),
    path("sessions/<int:pk>/projector/", views.projector_view, name="projector"),
    path("sessions/<int:pk>/polls/", views.poll_create_view, name="poll_create"),
    path("sessions/<int:pk>/resolutions/", views.resolutions_print_view, name="resolutions_print"),
    path("sessions/<int:pk>/minutes/", views.minutes_print_view, name="minutes_print"),
    path("sessions/<int:pk>/vote/", views.vote_view, name="vote"),
    path("c/<str:token>/", views.checkin_view, name="checkin"),
    path("polls/<int:pk>/", views.poll_view, name="poll"),
    path("polls/<int:pk>/do/<str:action>/", views.poll_action_view, name="poll_action"),
    path("polls/<int:pk>/paper/issue/<int:delegate_pk>/", views.paper_issue_view, name="paper_issue"),
    path("polls/<int:pk>/paper/", views.paper_enter_view, name="paper_enter"),
    path("polls/<int:pk>/result/", views.result_print_view, name="result_print"),
    path("polls/<int:pk>/ballot/", views.ballot_view, name="ballot"),
]
