from __future__ import annotations

from django.contrib import admin

from .models import Annotation, AnnotationStance, Stance


@admin.register(Stance)
class StanceAdmin(admin.ModelAdmin):
    list_display = ["name", "colour", "hotkey", "order", "active"]
    list_editable = ["colour", "hotkey", "order", "active"]
    search_fields = ["name"]


class AnnotationStanceInline(admin.TabularInline):
    model = AnnotationStance
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["quote_short", "user", "article", "visibility", "anchor_status", "updated"]
    list_filter = ["visibility", "anchor_status"]
    search_fields = ["quote", "note", "user__username"]
    list_select_related = ["user", "article"]
    readonly_fields = ["article", "user", "start", "end", "quote", "prefix", "suffix", "created", "updated", "version"]
    inlines = [AnnotationStanceInline]

    def get_queryset(self, request):
        # Staff see shared annotations and their own; a private note stays private.
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description="Quote")
    def quote_short(self, obj: Annotation) -> str:
        return obj.quote[:60]
