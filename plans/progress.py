"""An anonymous person's self-check and plan, kept in their session.

What they rate, the role they plan for and the hours a week they have wait in the session
(like an unfinished assessment) and become theirs when they sign up or log in
(`plan_claim`). A signed-in person's live in the database (plans.services)."""

from dataclasses import dataclass, field

from django.utils import timezone

from . import planning, services

SESSION_KEY = "learning_plan"


@dataclass
class Sketch:
    """What an anonymous person said so far: tool slug -> level, a role, a pace."""

    levels: dict[str, int] = field(default_factory=dict)
    role: str | None = None
    hours_per_week: int | None = None

    @property
    def pace(self) -> int:
        return self.hours_per_week or planning.DEFAULT_HOURS_PER_WEEK


def sketch_load(request) -> Sketch:
    """The session's self-check and plan; anything malformed or out of range in it (a level
    outside 0-4, a pace outside 1-60) is left out."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return Sketch()
    levels, role, pace = data.get("levels"), data.get("role"), data.get("hours_per_week")
    return Sketch(
        levels={
            slug: level
            for slug, level in (levels.items() if isinstance(levels, dict) else [])
            if isinstance(slug, str) and planning.is_level(level)
        },
        role=role if isinstance(role, str) else None,
        hours_per_week=pace if planning.is_hours_per_week(pace) else None,
    )


def _sketch_save(request, sketch: Sketch) -> None:
    request.session[SESSION_KEY] = {
        "levels": sketch.levels,
        "role": sketch.role,
        "hours_per_week": sketch.hours_per_week,
    }


def sketch_update(
    request,
    *,
    levels: dict[str, int] | None = None,
    role: str | None = None,
    hours_per_week: int | None = None,
) -> Sketch:
    """Keep checked input in the session: new levels join the old ones (a retaken tool takes
    its new level); a role or pace given replaces the one kept."""
    sketch = sketch_load(request)
    if levels:
        sketch.levels.update(levels)
    if role is not None:
        sketch.role = role
    if hours_per_week is not None:
        sketch.hours_per_week = hours_per_week
    _sketch_save(request, sketch)
    return sketch


def plan_claim(request, user) -> None:
    """Right after a log-in or sign-up: the self-check, role and pace this browser kept
    become the person's (services.anonymous_plan_claim), and leave the session."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    sketch = sketch_load(request)
    session.pop(SESSION_KEY)
    services.anonymous_plan_claim(
        user=user,
        levels=sketch.levels,
        role=sketch.role,
        hours_per_week=sketch.hours_per_week,
        today=timezone.localdate(),
    )
