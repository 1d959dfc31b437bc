from __future__ import annotations

from django.db import migrations

# Distinct hues that stay readable as a translucent background and as an
# underline on both the light and the dark theme.
DEFAULT_STANCES = [
    ("Russia", "Claims voicing the position of the Russian government.", "#d1495b", 1),
    ("United States", "Claims voicing the position of the US government.", "#2d7dd2", 2),
    ("Syrian opposition", "Claims voicing the position of the Syrian opposition.", "#3bb273", 3),
]


def seed(apps, schema_editor):
    Stance = apps.get_model("annotations", "Stance")
    for order, (name, description, colour, hotkey) in enumerate(DEFAULT_STANCES):
        Stance.objects.get_or_create(
            name=name,
            defaults={"description": description, "colour": colour, "hotkey": hotkey, "order": order},
        )


def unseed(apps, schema_editor):
    Stance = apps.get_model("annotations", "Stance")
    Stance.objects.filter(name__in=[s[0] for s in DEFAULT_STANCES], tags__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
