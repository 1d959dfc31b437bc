import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Articles belong to a project; filled in by projects.0002, required by reader.0004."""

    dependencies = [
        ("projects", "0001_initial"),
        ("reader", "0003_article_version_articleproposal_articleversion"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="articles",
                to="projects.project",
            ),
        ),
    ]
