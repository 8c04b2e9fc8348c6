from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("mine/", views.mine_view, name="mine"),
    path("new/", views.submit_view, name="submit"),
    path("mine/<int:pk>/", views.my_detail_view, name="my_detail"),
    path("mine/<int:pk>/rate/", views.rate_view, name="rate"),
    path("export.csv", views.export_view, name="export"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/accept/", views.accept_view, name="accept"),
    path("<int:pk>/answer/", views.answer_view, name="answer"),
]
