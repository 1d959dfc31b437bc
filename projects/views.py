from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import UserCreationForm as SignUpForm
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from annotations.models import Annotation, Stance
from annotations.reading import BadParameter
from reader.caching import private_page
from reader.models import Article

from . import services
from .contrast import contrast_problems
from .forms import InvitationForm, ProjectForm, RoleForm, StanceForm
from .models import Membership, Project, Role
from .scope import in_project, require_role


def _per_project(model, key: str, aggregate) -> Subquery:
    """One number per project from ``model``, whose ``key`` leads to the project."""
    rows = (
        model.objects.filter(**{key: OuterRef("pk")})
        .order_by()
        .values(key)
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(rows[:1])


def projects_with_counts(user):
    """The user's projects with their counts and last activity, in one query."""
    return (
        Project.objects.for_member(user)
        .annotate(
            article_count=Coalesce(_per_project(Article, "project", Count("pk")), 0),
            annotation_count=Coalesce(
                _per_project(Annotation, "article__project", Count("pk")), 0
            ),
            member_count=Coalesce(_per_project(Membership, "project", Count("pk")), 0),
            last_article=_per_project(Article, "project", Max("imported_at")),
            last_annotation=_per_project(Annotation, "article__project", Max("updated")),
        )
        .annotate(
            last_activity=Greatest(
                Coalesce("last_article", "created_at"),
                Coalesce("last_annotation", "created_at"),
                "created_at",
            )
        )
        .order_by("name", "pk")
    )


@require_http_methods(["GET"])
@private_page
def home(request: HttpRequest) -> HttpResponse:
    """The projects the person belongs to; with one, straight into it."""
    projects = list(projects_with_counts(request.user))
    if len(projects) == 1 and "all" not in request.GET:
        return redirect(projects[0])
    return render(
        request,
        "projects/home.html",
        {"projects": projects, "form": ProjectForm(user=request.user)},
    )


@require_safe
@private_page
def project_switcher(request: HttpRequest) -> HttpResponse:
    """The header switcher's list of the person's projects, fetched when it is opened: a
    page inside a project reads only its own membership, however many projects the person
    is in. ``current`` marks the page's project."""
    return render(
        request,
        "projects/_switcher.html",
        {
            "projects": Project.objects.for_member(request.user).only("name", "slug"),
            "current": request.GET.get("current", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    """Anyone with an account may start a project and manage it."""
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            manager=request.user,
            codebook_from=form.cleaned_data["codebook_from"],
        )
        messages.success(request, f"Created the project “{project.name}”. You are its manager.")
        return redirect(project)
    return render(
        request, "projects/project_new.html", {"form": form}, status=422 if form.errors else 200
    )


# -- the codebook -------------------------------------------------------------------


@require_safe
@private_page
@in_project()
def codebook_page(request: HttpRequest) -> HttpResponse:
    """Everyone in the project reads the codebook; its managers change it here."""
    project = request.project
    stances = list(Stance.objects.of_project(project))
    for stance in stances:
        stance.contrast_warning = contrast_problems(stance.colour)
    return render(
        request,
        "projects/codebook.html",
        {
            "project": project,
            "stances": stances,
            "versions": project.codebook_versions.select_related("created_by")[:20],
            "new_form": StanceForm(project=project, prefix="new")
            if request.membership.can_manage
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
@in_project(Role.MANAGER)
def stance_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = request.project
    stance = get_object_or_404(Stance.objects.of_project(project), pk=pk) if pk else None
    form = StanceForm(request.POST or None, instance=stance, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
                version = services.codebook_version_record(project=project, user=request.user)
        except IntegrityError:
            form.add_error(
                None, "Another stance of this codebook already has that name or hotkey."
            )
        else:
            if version is not None:
                messages.success(
                    request, f"Saved “{saved.name}”: codebook version {version.number} ({version.change})."
                )
            else:
                messages.info(request, f"“{saved.name}” is unchanged.")
            return redirect("projects:codebook", project=project.slug)
    return render(
        request,
        "projects/stance_edit.html",
        {"project": project, "form": form, "stance": stance},
        status=422 if form.errors else 200,
    )


@require_POST
@in_project(Role.MANAGER)
def stance_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire a stance (it stays on the annotations that carry it) or restore it."""
    project = request.project
    stance = get_object_or_404(Stance.objects.of_project(project), pk=pk)
    active = request.POST.get("active") == "1"
    with transaction.atomic():
        Stance.objects.filter(pk=stance.pk).update(active=active)
        version = services.codebook_version_record(project=project, user=request.user)
    if version is not None:
        messages.success(request, f"Codebook version {version.number}: {version.change}.")
    return redirect("projects:codebook", project=project.slug)


@require_safe
@in_project()
def codebook_json(request: HttpRequest) -> HttpResponse:
    """Any version of the codebook (``?version=N``; the newest by default), as JSON."""
    project = request.project
    versions = project.codebook_versions.all()
    wanted = request.GET.get("version", "")
    if wanted:
        if not (wanted.isascii() and wanted.isdigit()) or len(wanted) > 9:
            raise BadParameter("version: give a version number, like ?version=1.")
        version = versions.filter(number=int(wanted)).first()
        if version is None:
            raise Http404(f"This codebook has no version {wanted}.")
    else:
        version = versions.order_by("-number").first()
        if version is None:
            raise Http404("This codebook has no version yet.")
    response = JsonResponse(
        {
            "project": project.slug,
            "version": version.number,
            "created_at": version.created_at.isoformat(),
            "created_by": version.created_by.get_username() if version.created_by else None,
            "change": version.change,
            "latest_version": project.codebook_version,
            "stances": version.snapshot.get("stances", []),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Cache-Control"] = "private, no-store"
    return response


# -- members and invitations --------------------------------------------------------


@require_safe
@private_page
@in_project()
def members_page(request: HttpRequest) -> HttpResponse:
    project = request.project
    manager = request.membership.can_manage
    now = timezone.now()
    invitations = list(project.invitations.select_related("created_by")[:50]) if manager else []
    for invitation in invitations:
        invitation.current_state = invitation.state(now)
    return render(
        request,
        "projects/members.html",
        {
            "project": project,
            "members": project.memberships.select_related("user").order_by("user__username"),
            "invitations": invitations,
            "invitation_form": InvitationForm() if manager else None,
            "new_link": request.session.pop(NEW_LINK_KEY, None),
            "roles": Role.choices,
        },
    )


NEW_LINK_KEY = "new_invitation_link"


def _members(request: HttpRequest) -> HttpResponse:
    return redirect("projects:members", project=request.project.slug)


@require_POST
@in_project(Role.MANAGER)
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(request.project.memberships.select_related("user"), pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose manager, annotator or viewer.")
        return _members(request)
    try:
        services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
    except services.LastManager as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user} is now {form.cleaned_data['role']}.")
    return _members(request)


@require_POST
@in_project()
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers remove members; anyone may leave. Annotations stay, attributed."""
    membership = get_object_or_404(request.project.memberships.select_related("user"), pk=pk)
    leaving = membership.user_id == request.user.pk
    if not leaving:
        require_role(request.membership, Role.MANAGER)
    try:
        services.membership_remove(membership=membership)
    except services.LastManager as error:
        messages.error(request, str(error))
        return _members(request)
    if leaving:
        messages.info(request, f"You left “{request.project.name}”.")
        return redirect("home")
    messages.success(
        request, f"Removed {membership.user} from the project; their annotations stay, under their name."
    )
    return _members(request)


@require_POST
@in_project(Role.MANAGER)
def invitation_new(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not made: " + "; ".join(
            f"{form.fields[f].label or f}: {' '.join(e)}" for f, e in form.errors.items()
        ))
        return _members(request)
    data = form.cleaned_data
    _invitation, token = services.invitation_create(
        project=request.project,
        user=request.user,
        role=data["role"],
        days=data["days"],
        max_uses=data["max_uses"],
        note=data["note"],
    )
    # Shown once, on the next page; only its hash is kept.
    request.session[NEW_LINK_KEY] = request.build_absolute_uri(
        reverse("invitation_accept", kwargs={"token": token})
    )
    return _members(request)


@require_POST
@in_project(Role.MANAGER)
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(request.project.invitations, pk=pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, "The invitation link was revoked; it no longer works.")
    return _members(request)


@login_not_required
@require_http_methods(["GET", "POST"])
@private_page
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Opening a link: a logged-in person joins (after pressing Join); a new person may
    sign up here even when open sign-up is off, and joins with the account."""
    try:
        invitation = services.invitation_find(token)
    except services.InvitationUnusable as error:
        return render(request, "projects/invitation.html", {"error": str(error)}, status=410)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership, joined = services.invitation_accept(token=token, user=request.user)
            except services.InvitationUnusable as error:
                return render(request, "projects/invitation.html", {"error": str(error)}, status=410)
            if joined:
                messages.success(
                    request, f"You joined “{membership.project.name}” as {membership.role}."
                )
            else:
                messages.info(
                    request, f"You are already in “{membership.project.name}” as {membership.role}."
                )
            return redirect(membership.project)
        return render(request, "projects/invitation.html", {"invitation": invitation})
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            try:
                membership, _joined = services.invitation_accept(token=token, user=user)
            except services.InvitationUnusable as error:
                transaction.set_rollback(True)
                return render(request, "projects/invitation.html", {"error": str(error)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome! You joined “{membership.project.name}” as {membership.role}.")
        return redirect(membership.project)
    return render(
        request,
        "projects/invitation.html",
        {"invitation": invitation, "form": form},
        status=422 if form.errors else 200,
    )
