"""How an application-like object moves: declared as data, taken by one service.

An app declares its workflow once, beside its models::

    CARRIER = Workflow(
        key="carrier",
        model=Carrier,
        states=CarrierStatus,
        submitter="declared_by",
        owner_org="host_id",
        waiting={CarrierStatus.COUNTY_REVIEW: "县区初审", CarrierStatus.RETURNED: "补正后重新提交"},
        deadline_days=lambda carrier, state: rule_for(carrier.carrier_type_id).days_for(state),
        transitions=[
            Transition("county_pass", "县区初审通过", (S.COUNTY_REVIEW,), S.CITY_REVIEW,
                       permission="review", review=True, refusal="只有待县区初审的申报可以初审通过"),
            Transition("return", "退回补正", (S.COUNTY_REVIEW, S.CITY_REVIEW), S.RETURNED,
                       permission="review", review=True, returns=True, reason="需要补正的内容"),
            Transition("resubmit", "补正后重新提交", (S.RETURNED,), RESUBMIT, permission="change"),
        ],
    )
    register(CARRIER)

and its services call ``transition_take`` (``workflow/services.py``), which locks, checks scope,
state, reason, self-review and conditions, moves, stamps the step's deadline, and writes the
history row and the audit entry in one transaction. Pages, buttons and the to-do list read the
same declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

# The target of a resubmission after 补正: the state that returned it (kept in ``returned_from``).
RESUBMIT = "__returned_from__"


@dataclass(frozen=True)
class Transition:
    """One edge: from which states, to which (None: the state stays, the step is still recorded),
    the action name the one scope rule checks (a string, or a function of the locked row for steps
    whose owner depends on the state), and what the step needs."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    permission: str | Callable[[Any], str] = "change"
    refusal: str = ""  # "只有……可以……"; the current state is added in brackets
    reason: str = ""  # what the required reason is called; "" when none is required
    reason_message: str = ""  # the refusal when the reason is missing (default: 请填写<reason>)
    reason_field: str = "reason"  # the form field the refusal is shown at
    review: bool = False  # the submitter never takes this step (no self-review)
    returns: bool = False  # 补正: the source state is remembered in ``returned_from``
    attachments: bool = False  # the step's form offers files (PDF, images, Office files)
    conditions: tuple[Callable[[Any], str], ...] = ()  # each returns a Chinese refusal or ""

    def permission_for(self, obj) -> str:
        return self.permission(obj) if callable(self.permission) else self.permission

    @property
    def moves(self) -> bool:
        return self.target is not None


@dataclass
class Workflow:
    """The declaration of one kind of application: its states (a TextChoices class), transitions,
    which states wait on somebody (for the to-do list) and how long each may take."""

    key: str
    label: str
    model: type[models.Model]
    states: type[models.TextChoices]
    transitions: Iterable[Transition]
    submitter: str  # the field naming the user who submitted (never reviews it)
    owner_org: str = ""  # the organisation that answers a 补正 (its operators see the to-do)
    owner_user: str = ""  # the account that answers it besides the submitter (e.g. person__user)
    # The organisation whose operators take the review steps, where another organisation's
    # operators also see the object (e.g. a provider answering a sharing request sent to it).
    reviewer_org: str = ""
    waiting: dict[str, str] = field(default_factory=dict)  # state -> the task's name on the to-do list
    deadline_days: Callable[[Any, str], int | None] | None = None
    self_review_message: str = "提交人不能审核本人提交的申请，请由其他人员办理"
    audit_prefix: str = ""
    note_key: str = "note"  # what the reason is called in the audit entry's changes
    reason_field: str = ""  # a model field that keeps the latest step's reason (e.g. status_reason)
    on_enter: dict[str, Callable[[Any], None]] = field(default_factory=dict)
    title: Callable[[Any], str] = str
    detail_url: Callable[[Any], str] | None = None
    extra_todo: Callable[..., list] | None = None  # other dated duties (e.g. annual assessments)
    select_related: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.transitions = {t.name: t for t in self.transitions}
        self.audit_prefix = self.audit_prefix or self.key
        states = set(self.states.values)
        for t in self.transitions.values():
            unknown = set(t.sources) - states
            if t.target not in (None, RESUBMIT):
                unknown |= {t.target} - states
            if unknown:
                raise ValueError(f"workflow {self.key}: {t.name} names unknown states {unknown}")

    def state_label(self, value: str) -> str:
        if not value:
            return ""
        try:
            return str(self.states(value).label)
        except ValueError:
            return value

    def reviews_for(self, obj, user) -> bool:
        """Whether ``user`` is on the reviewing side of ``obj`` (always, unless ``reviewer_org``
        names an organisation and the user is another organisation's operator)."""
        if not self.reviewer_org or getattr(user, "organisation_id", None) is None:
            return True
        value = obj
        for part in self.reviewer_org.split("__"):
            value = getattr(value, part, None)
        return value == user.organisation_id

    def available(self, obj) -> list[Transition]:
        """The transitions whose source is ``obj``'s current state."""
        return [t for t in self.transitions.values() if obj.status in t.sources]


_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Make ``workflow`` known to the to-do list, the timeline and the attachment pages."""
    _REGISTRY[workflow.key] = workflow
    return workflow


def workflows() -> list[Workflow]:
    return list(_REGISTRY.values())


def workflow_named(key: str) -> Workflow:
    return _REGISTRY[key]


def workflow_for(model: type[models.Model]) -> Workflow | None:
    return next((w for w in _REGISTRY.values() if w.model is model), None)
