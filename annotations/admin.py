from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from projects.services import codebook_version_record

from . import services
from .models import Annotation, AnnotationStance, Stance


@admin.register(Stance)
class StanceAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "colour", "hotkey", "order", "active"]
    list_editable = ["colour", "hotkey", "order", "active"]
    list_filter = ["project"]
    list_select_related = ["project"]
    search_fields = ["name"]

    # A change made here is a codebook change like any other: it makes a new version.
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        codebook_version_record(project=obj.project, user=request.user)

    def delete_model(self, request, obj) -> None:
        project = obj.project
        super().delete_model(request, obj)
        codebook_version_record(project=project, user=request.user)


def _is_owner(request: HttpRequest, annotation: Annotation | None) -> bool:
    return annotation is not None and annotation.user_id == request.user.pk


class AnnotationStanceInline(admin.TabularInline):
    model = AnnotationStance
    extra = 0

    # Tags change on the reading page, through the service that bumps the version.
    def has_add_permission(self, request: HttpRequest, obj: Annotation | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Annotation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Annotation | None = None) -> bool:
        return False


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    """Read-only, and only what the staff member may see on the site.

    Writes go through the reading page, where offsets are checked and versions catch a
    second tab's stale save; the admin may only delete one's own annotations.
    """

    list_display = ["quote_short", "user", "article", "visibility", "anchor_status", "updated"]
    list_filter = ["visibility", "anchor_status"]
    search_fields = ["quote", "note", "user__username"]
    list_select_related = ["user", "article"]
    inlines = [AnnotationStanceInline]

    def get_queryset(self, request):
        # Staff see shared annotations and their own; a private note stays private.
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Annotation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Annotation | None = None) -> bool:
        if obj is not None and not _is_owner(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Annotation) -> None:
        services.annotation_delete(annotation=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for annotation in queryset.filter(user=request.user):
            services.annotation_delete(annotation=annotation)

    @admin.display(description="Quote")
    def quote_short(self, obj: Annotation) -> str:
        return obj.quote[:60]
