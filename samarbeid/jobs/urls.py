from django.urls import path

from samarbeid.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("ny/<slug:kind>/", views.job_start, name="job_start"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/fil/", views.job_download, name="job_download"),
    path("<int:pk>/prov-igjen/", views.job_retry, name="job_retry"),
]
