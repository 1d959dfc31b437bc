from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from projects.services import codebook_version_record

from . import services
from .models import Annotation, AnnotationStance, Stance

_UNSEEN = object()


def _drop_unseen(nested: list) -> list:
    """The admin's nested list without the unseen entries and what hangs below them."""
    kept: list = []
    skip_children = False
    for item in nested:
        if isinstance(item, list):
            if not skip_children:
                kept.append(_drop_unseen(item))
            skip_children = False
        elif item is _UNSEEN:
            skip_children = True
        else:
            kept.append(item)
            skip_children = False
    return [item for item in kept if item != []]


def _others(count: int) -> str:
    return f"{count} annotation{'s' if count != 1 else ''} of other users (not shown)"


def deleted_objects_seen_by(objs, request: HttpRequest, admin_site):
    """ModelAdmin.get_deleted_objects, with the annotations the staff member may not see
    (other users' private ones, and any in a project they are not a member of) left out
    of every list: they appear as a count, and they block the deletion like any object of
    another user's. Django's own lists them with their quotes and ids."""
    try:
        using = router.db_for_write(objs[0]._meta.model)
    except IndexError:
        return [], {}, set(), []
    collector = NestedObjects(using=using, origin=objs)
    collector.collect(objs)
    reached = {a.pk for a in collector.model_objs.get(Annotation, ())}
    reached |= {
        tag.annotation_id
        for tag in collector.model_objs.get(AnnotationStance, set()) | collector.protected
        if isinstance(tag, AnnotationStance)
    }
    seen = set(
        Annotation.objects.visible_to(request.user)
        .filter(pk__in=reached)
        .values_list("pk", flat=True)
    )

    def unseen(obj) -> bool:
        if isinstance(obj, Annotation):
            return obj.pk not in seen
        return isinstance(obj, AnnotationStance) and obj.annotation_id not in seen

    perms_needed: set[str] = set()

    def format_callback(obj):
        if unseen(obj):
            return _UNSEEN
        opts = obj._meta
        label = f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.is_registered(obj.__class__):
            return label
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=(quote(obj.pk),),
            )
        except NoReverseMatch:
            return label
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    def annotation_ids(objects) -> set:
        return {
            obj.pk if isinstance(obj, Annotation) else obj.annotation_id
            for obj in objects
            if unseen(obj)
        }

    to_delete = _drop_unseen(collector.nested(format_callback))
    protected = [format_callback(obj) for obj in collector.protected if not unseen(obj)]
    model_count = {
        model._meta.verbose_name_plural: sum(1 for obj in found if not unseen(obj))
        for model, found in collector.model_objs.items()
    }
    model_count = {name: count for name, count in model_count.items() if count}
    hidden_deleted = annotation_ids(collector.model_objs.get(Annotation, set())) | annotation_ids(
        collector.model_objs.get(AnnotationStance, set())
    )
    if hidden_deleted:
        to_delete.append(_others(len(hidden_deleted)))
        model_count["annotations of other users (not shown)"] = len(hidden_deleted)
        perms_needed.add(_others(len(hidden_deleted)))
    if hidden_protected := annotation_ids(collector.protected):
        protected.append(_others(len(hidden_protected)))
    return to_delete, model_count, perms_needed, protected


class HidesUnseenAnnotations:
    """For every admin whose deletions reach annotations: see deleted_objects_seen_by."""

    def get_deleted_objects(self, objs, request):
        return deleted_objects_seen_by(objs, request, self.admin_site)


@admin.register(Stance)
class StanceAdmin(HidesUnseenAnnotations, admin.ModelAdmin):
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
class AnnotationAdmin(HidesUnseenAnnotations, admin.ModelAdmin):
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
