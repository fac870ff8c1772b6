"""What a browser did before its person logged in or signed up becomes theirs: called once,
right after the web log-in, the sign-up and the API's log-in and register."""

from assessments.browser import browser_assessments_claim
from plans.progress import plan_claim


def browser_work_claim(request, user) -> None:
    """The session's assessments and unfinished attempt, then its self-check and plan."""
    browser_assessments_claim(request, user)
    plan_claim(request, user)
