"""Reads of the one workflow mechanism: an object's history with its files, and the to-do list
(待办/逾期) of a user across every registered workflow, within the one scope rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import scope

from .base import Workflow, workflow_for, workflows
from .models import Attachment, Event, Notification


def history(obj) -> list[Event]:
    """Every step of ``obj``, oldest first, with the actor and the files handed in at each step.
    The caller has already fetched ``obj`` within the user's scope."""
    return list(
        Event.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        .select_related("actor")
        .prefetch_related(Prefetch("files", queryset=Attachment.objects.order_by("id")))
        .order_by("at", "id")
    )


def attachment_for(*, user: User, pk: int) -> Attachment | None:
    """An attachment, if ``user`` may view the object it belongs to (the one scope rule)."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        return None
    model = attachment.content_type.model_class()
    if model is None or workflow_for(model) is None:
        return None
    if not scope(model._default_manager.filter(pk=attachment.object_id), user, "view").exists():
        return None
    return attachment


@dataclass
class TodoItem:
    """One thing waiting on a user: the object, what is to be done, and by when."""

    workflow: Workflow
    obj: Any
    task: str
    due_on: datetime.date | None
    today: datetime.date

    @property
    def overdue_days(self) -> int:
        return max(0, (self.today - self.due_on).days) if self.due_on else 0

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def title(self) -> str:
        return self.workflow.title(self.obj)

    @property
    def url(self) -> str:
        return self.workflow.detail_url(self.obj) if self.workflow.detail_url else ""


def _waiting_on(workflow: Workflow, user: User, state: str):
    """The objects of ``workflow`` in ``state`` that wait on ``user``. A state reached by a 补正
    return waits on the submitter's side (the submitter, or the operators of the organisation that
    answers it) to take one of its steps; any other waiting state waits on those who may take one
    of its review steps, never on the one who submitted."""
    manager = workflow.model._default_manager
    returned = state in {t.target for t in workflow.transitions.values() if t.returns}
    found = None
    for step in workflow.transitions.values():
        if state not in step.sources or not step.moves or step.review == returned:
            continue  # a review waits on reviewers; a 补正 waits on the submitter's side
        queryset = scope(
            manager.filter(status=state), user, step.permission_for(workflow.model(status=state))
        )
        if step.review:
            queryset = queryset.exclude(**{workflow.submitter: user})
            if workflow.reviewer_org and user.organisation_id:
                queryset = queryset.filter(**{workflow.reviewer_org: user.organisation_id})
        else:
            mine = Q(**{workflow.submitter: user})
            if workflow.owner_org and user.organisation_id:
                mine |= Q(**{workflow.owner_org: user.organisation_id})
            if workflow.owner_user:
                mine |= Q(**{workflow.owner_user: user})
            queryset = queryset.filter(mine)
        ids = queryset.values("pk")
        found = Q(pk__in=ids) if found is None else found | Q(pk__in=ids)
    if found is None:
        return manager.none()
    return manager.filter(found).select_related(*workflow.select_related)


def todo_for(
    *, user: User, today: datetime.date | None = None, workflow_key: str | None = None
) -> list[TodoItem]:
    """What waits for ``user`` to act, across every workflow (or one), soonest deadline first."""
    today = today or timezone.localdate()
    items: list[TodoItem] = []
    for workflow in workflows():
        if workflow_key and workflow.key != workflow_key:
            continue
        for state, task in workflow.waiting.items():
            for obj in _waiting_on(workflow, user, state):
                items.append(TodoItem(workflow, obj, task, obj.due_on, today))
        if workflow.extra_todo:
            items += workflow.extra_todo(user=user, today=today)
    return sorted(items, key=lambda i: (i.due_on or datetime.date.max, i.workflow.key, i.obj.pk))


def todo_counts(*, user: User, today: datetime.date | None = None) -> tuple[int, int]:
    """(waiting, overdue) for the navigation bar."""
    items = todo_for(user=user, today=today)
    return len(items), sum(1 for i in items if i.overdue)


def permitted_steps(workflow: Workflow, obj, user: User, names) -> list:
    """The declared steps among ``names`` that ``user`` may take on ``obj`` now: the state allows
    them, the one scope rule allows their action, and a review is not offered to the submitter."""
    from gongjiang.accounts.scope import may

    steps = [t for t in workflow.available(obj) if t.name in names]
    permitted = may(user, obj, *{t.permission_for(obj) for t in steps})
    own = getattr(obj, workflow.submitter + "_id", None) == user.pk
    reviewer = workflow.reviews_for(obj, user)
    return [
        t for t in steps if t.permission_for(obj) in permitted and not ((own or not reviewer) and t.review)
    ]


def notifications_for(*, user: User, unread_only: bool = False):
    """The account's own messages, newest first (the one scope rule, narrowed to the recipient:
    even the city admin reads only its own inbox)."""
    rows = scope(Notification.objects.filter(user_id=user.pk), user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(*, user: User) -> int:
    return notifications_for(user=user, unread_only=True).count()
