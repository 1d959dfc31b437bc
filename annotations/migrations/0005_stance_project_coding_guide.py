import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The codebook belongs to a project (filled in by projects.0002); the coding guide;
    the codebook version each annotation was made under."""

    dependencies = [
        ("annotations", "0004_imported_times"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="stance",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stances",
                to="projects.project",
            ),
        ),
        migrations.AddField(model_name="stance", name="definition", field=models.TextField(blank=True)),
        migrations.AddField(model_name="stance", name="when_to_use", field=models.TextField(blank=True)),
        migrations.AddField(model_name="stance", name="example", field=models.TextField(blank=True)),
        migrations.AddField(
            model_name="stance", name="counter_example", field=models.TextField(blank=True)
        ),
        migrations.AddField(
            model_name="annotation",
            name="codebook_version",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
    ]
