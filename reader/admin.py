from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from annotations.admin import HidesUnseenAnnotations

from .models import Article


@admin.register(Article)
class ArticleAdmin(HidesUnseenAnnotations, admin.ModelAdmin):
    list_display = ["title", "source_name", "published", "word_count", "imported_by", "imported_at"]
    list_filter = ["source_name"]
    search_fields = ["title", "byline", "source_url"]
    date_hierarchy = "imported_at"
    formfield_overrides = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}
    readonly_fields = ["text", "word_count", "imported_by", "imported_at", "updated_at", "cleaning_report"]
    exclude = ["raw_input", "body_html", "text_hash"]
    fields = [
        "title", "subtitle", "byline", "published", "source_name", "source_url", "slug",
        "text", "word_count", "cleaning_report", "imported_by", "imported_at", "updated_at",
    ]
