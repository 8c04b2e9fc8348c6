from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.mine_view, name="mine"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/bell/", views.bell_view, name="bell"),
    path("notifications/read/", views.notifications_read_all_view, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read_view, name="notification_read"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/new/", views.calendar_day_edit_view, name="calendar_day_new"),
    path("calendar/<int:pk>/", views.calendar_day_edit_view, name="calendar_day_edit"),
    path("calendar/<int:pk>/delete/", views.calendar_day_delete_view, name="calendar_day_delete"),
]
