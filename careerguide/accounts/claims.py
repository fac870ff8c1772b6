"""What a browser did before its person logged in or signed up becomes theirs: called once,
right after the web log-in, the sign-up and the API's log-in and register."""

from assessments.progress import claim_anonymous_work
from plans.progress import plan_claim


def claim_browser_work(request, user) -> None:
    """The session's assessments and unfinished answers, then its self-check and plan."""
    claim_anonymous_work(request, user)
    plan_claim(request, user)
