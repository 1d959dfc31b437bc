from __future__ import annotations

from django.urls import path

from . import views

app_name = "studies"

urlpatterns = [
    path("study/", views.study_home, name="home"),
    path("study/statements.csv", views.statements, name="statements"),
    path("agreement/", views.project_agreement, name="agreement"),
    path("agreement/<slug:download>.csv", views.project_agreement, name="agreement_download"),
    path("articles/<slug:slug>/submit/", views.submit_coding, name="submit"),
    path("articles/<slug:slug>/reopen/", views.reopen_coding, name="reopen"),
    path("articles/<slug:slug>/agreement/", views.article_agreement, name="article_agreement"),
    path(
        "articles/<slug:slug>/agreement/<slug:download>.csv",
        views.article_agreement,
        name="article_agreement_download",
    ),
    path("articles/<slug:slug>/adjudicate/", views.adjudicate, name="adjudicate"),
]
