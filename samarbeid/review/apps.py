from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "samarbeid.review"
    label = "review"
