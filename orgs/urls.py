from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree_view, name="tree"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/children/", views.children_view, name="children"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/new/", views.create_child_view, name="create_child"),
    path("<int:pk>/committee/", views.committee_add_view, name="committee_add"),
    path("committee/<int:pk>/remove/", views.committee_remove_view, name="committee_remove"),
    path("<int:pk>/warnings/recompute/", views.warnings_recompute_view, name="warnings_recompute"),
]
