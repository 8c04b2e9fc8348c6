from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("export/", views.export_view, name="export"),
    path("events/", views.events_view, name="events"),
    path("new/", views.create_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/reveal/<str:field>/", views.reveal_view, name="reveal"),
    path("<int:pk>/account/", views.account_invite_view, name="account_invite"),
    path("<int:pk>/do/<str:action>/", views.transition_view, name="transition"),
    path("<int:pk>/transfer/", views.transfer_request_view, name="transfer_request"),
    path("transfers/", views.transfers_view, name="transfers"),
    path("transfers/<int:pk>/<str:action>/", views.transfer_decide_view, name="transfer_decide"),
    path("applications/", views.applications_view, name="applications"),
    path("apply-qr/<int:org_id>/", views.apply_qr_view, name="apply_qr"),
    path("apply/<int:org_id>/<str:token>/", views.apply_view, name="apply"),
    path("lapse/", views.lapse_view, name="lapse"),
    path("corrections/", views.corrections_view, name="corrections"),
    path("corrections/<int:pk>/decide/", views.correction_decide_view, name="correction_decide"),
    path("corrections/<int:pk>/reveal/", views.correction_reveal_view, name="correction_reveal"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.import_template_view, name="import_template"),
    path("import/<int:pk>/", views.import_detail_view, name="import_detail"),
    path("import/<int:pk>/confirm/", views.import_confirm_view, name="import_confirm"),
    path("import/<int:pk>/errors.xlsx", views.import_errors_view, name="import_errors"),
    path("stats/", views.stats_view, name="stats"),
    path("stats/export/", views.stats_export_view, name="stats_export"),
    path("me/", views.my_card_view, name="my_card"),
    path("card/<int:pk>/<str:token>/", views.card_check_view, name="card_check"),
    path("me/history/", views.my_history_view, name="my_history"),
    path("me/data/", views.my_data_view, name="my_data"),
    path("me/data/download/", views.my_data_download_view, name="my_data_download"),
    path("me/data/reveal/<str:field>/", views.my_reveal_view, name="my_reveal"),
]
