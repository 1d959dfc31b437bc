"""Today's data moves into one project, "Stance Reader" (slug ``default``).

Every article and stance joins it; every user becomes a member (staff as managers, the
rest as annotators); today's stances become codebook version 1, and every annotation is
recorded as made under it. Backwards undoes exactly that.
"""

from django.conf import settings
from django.db import migrations

from projects.codebook import snapshot

DEFAULT_SLUG = "default"


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Membership = apps.get_model("projects", "Membership")
    CodebookVersion = apps.get_model("projects", "CodebookVersion")
    Article = apps.get_model("reader", "Article")
    Stance = apps.get_model("annotations", "Stance")
    Annotation = apps.get_model("annotations", "Annotation")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))

    project, _ = Project.objects.get_or_create(
        slug=DEFAULT_SLUG,
        defaults={
            "name": "Stance Reader",
            "description": "Everything from before projects: the articles, annotations and codebook.",
        },
    )
    Article.objects.filter(project__isnull=True).update(project=project)
    Stance.objects.filter(project__isnull=True).update(project=project)
    Membership.objects.bulk_create(
        [
            Membership(project=project, user_id=pk, role="manager" if is_staff else "annotator")
            for pk, is_staff in User.objects.values_list("pk", "is_staff")
        ],
        ignore_conflicts=True,
    )
    if not CodebookVersion.objects.filter(project=project).exists():
        CodebookVersion.objects.create(
            project=project,
            number=1,
            change="The codebook as it was before projects.",
            snapshot=snapshot(Stance.objects.filter(project=project)),
        )
        Project.objects.filter(pk=project.pk).update(codebook_version=1)
    Annotation.objects.filter(codebook_version__isnull=True).update(codebook_version=1)


def backwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Article = apps.get_model("reader", "Article")
    Stance = apps.get_model("annotations", "Stance")
    Annotation = apps.get_model("annotations", "Annotation")

    Annotation.objects.update(codebook_version=None)
    Article.objects.update(project=None)
    Stance.objects.update(project=None)
    # Memberships and codebook versions go with their projects.
    Project.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("reader", "0004_article_project"),
        ("annotations", "0005_stance_project_coding_guide"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
