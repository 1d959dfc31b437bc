import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import projects.models


class Migration(migrations.Migration):
    """Every stance is in a project's codebook; names and hotkeys are unique per project."""

    dependencies = [
        ("annotations", "0005_stance_project_coding_guide"),
        ("projects", "0002_default_project"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stance",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stances",
                to="projects.project",
            ),
        ),
        migrations.AlterField(
            model_name="stance",
            name="project",
            field=models.ForeignKey(
                default=projects.models.default_project_pk,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stances",
                to="projects.project",
            ),
        ),
        migrations.AlterField(
            model_name="stance",
            name="hotkey",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Key 1–9 that tags a selection with this stance.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(9),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="stance", name="name", field=models.CharField(max_length=80)
        ),
        migrations.AddConstraint(
            model_name="stance",
            constraint=models.UniqueConstraint(
                fields=("project", "name"), name="stance_name_once_per_project"
            ),
        ),
        migrations.AddConstraint(
            model_name="stance",
            constraint=models.UniqueConstraint(
                fields=("project", "hotkey"), name="stance_hotkey_once_per_project"
            ),
        ),
    ]
