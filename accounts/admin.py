from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from annotations.admin import HidesUnseenAnnotations

User = get_user_model()

# Deleting a person deletes their annotations: the page must not list their private ones.
admin.site.unregister(User)


@admin.register(User)
class StanceUserAdmin(HidesUnseenAnnotations, UserAdmin):
    pass
