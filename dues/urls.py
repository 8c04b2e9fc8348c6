from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("org/<int:pk>/", views.union_view, name="union"),
    path("org/<int:pk>/run/", views.run_create_view, name="run_create"),
    path("org/<int:pk>/arrears/", views.arrears_view, name="arrears"),
    path("org/<int:pk>/wages/", views.wages_view, name="wages"),
    path("org/<int:pk>/wages/import/", views.wage_import_view, name="wage_import"),
    path("org/<int:pk>/wages/template/", views.wage_template_view, name="wage_template"),
    path("org/<int:pk>/funds/", views.funds_assess_view, name="funds_assess"),
    path("org/<int:pk>/ledger/", views.ledger_view, name="ledger"),
    path("federation/<int:pk>/policy/", views.policy_view, name="policy"),
    path("runs/<int:pk>/", views.run_view, name="run"),
    path("runs/<int:pk>/batch/", views.batch_view, name="batch"),
    path("lines/<int:pk>/pay/", views.pay_view, name="pay"),
    path("members/<int:pk>/wage/", views.wage_set_view, name="wage_set"),
    path("payments/<int:pk>/receipt/", views.receipt_view, name="receipt"),
    path("me/receipts/<int:pk>/", views.my_receipt_view, name="my_receipt"),
    path("payments/<int:pk>/reverse/", views.payment_reverse_view, name="payment_reverse"),
    path("batches/<int:pk>/reverse/", views.batch_reverse_view, name="batch_reverse"),
    path("funds/<int:pk>/pay/", views.funds_pay_view, name="funds_pay"),
    path("funds/payments/<int:pk>/receipt/", views.funds_receipt_view, name="funds_receipt"),
    path("funds/payments/<int:pk>/reverse/", views.funds_payment_reverse_view, name="funds_payment_reverse"),
    path("funds/payments/<int:pk>/official-no/", views.funds_official_no_view, name="funds_official_no"),
]
