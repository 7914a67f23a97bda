from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notification-channels/", views.channel_list, name="channel-list"),
    path("notification-channels/<int:pk>/", views.channel_detail, name="channel-detail"),
    path("crisis-words/", views.crisis_word_list, name="crisis-words"),
    path(
        "crisis-words/<int:pk>/toggle/",
        views.crisis_word_toggle,
        name="crisis-word-toggle",
    ),
]
