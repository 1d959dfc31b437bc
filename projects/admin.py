from __future__ import annotations

from django.contrib import admin

from annotations.admin import HidesUnseenAnnotations

from .models import CodebookVersion, Membership, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]


@admin.register(Project)
class ProjectAdmin(HidesUnseenAnnotations, admin.ModelAdmin):
    list_display = ["name", "slug", "codebook_version", "created_by", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["codebook_version", "created_by", "created_at"]
    inlines = [MembershipInline]


@admin.register(CodebookVersion)
class CodebookVersionAdmin(admin.ModelAdmin):
    """The record of what the codebook was; never rewritten."""

    list_display = ["project", "number", "created_by", "created_at", "change"]
    list_filter = ["project"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
