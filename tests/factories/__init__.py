"""factory_boy factories: the one way tests make data.

One module per part of the app; every name is here too, as `from tests import factories` and
`from tests.factories import X` use them."""

from tests.factories.accounts import (
    TEST_PASSWORD,
    EditorFactory,
    StaffUserFactory,
    SuperuserFactory,
    UserFactory,
)
from tests.factories.catalog import (
    AspectTextFactory,
    CareerAspectFactory,
    FocusAreaFactory,
    FocusPointFactory,
    RoleFactory,
    SalaryFigureFactory,
    ToolCategoryFactory,
    ToolFactory,
)
from tests.factories.labour import (
    LABOUR_PROXIES,
    LabourSourceFactory,
    OccupationFactory,
    OutlookFactory,
    OutlookSourceFactory,
    RoleProxyFactory,
    WageDistributionFactory,
    labour_figures_create,
    labour_proxies_create,
)
from tests.factories.plans import PlanFactory, PlanReminderFactory, SkillRatingFactory
from tests.factories.quizzes import (
    ChoiceFactory,
    ChoiceWeightFactory,
    QuestionFactory,
    QuizFactory,
    QuizVersionFactory,
    add_tie_breakers,
    make_quiz_version,
)
from tests.factories.world import (
    QUESTION_COUNT,
    WORLD_CATEGORIES,
    WORLD_TOOLS,
    SiteContent,
    site_content_create,
)

__all__ = [
    "LABOUR_PROXIES",
    "QUESTION_COUNT",
    "TEST_PASSWORD",
    "WORLD_CATEGORIES",
    "WORLD_TOOLS",
    "AspectTextFactory",
    "CareerAspectFactory",
    "ChoiceFactory",
    "ChoiceWeightFactory",
    "EditorFactory",
    "FocusAreaFactory",
    "FocusPointFactory",
    "LabourSourceFactory",
    "OccupationFactory",
    "OutlookFactory",
    "OutlookSourceFactory",
    "PlanFactory",
    "PlanReminderFactory",
    "QuestionFactory",
    "QuizFactory",
    "QuizVersionFactory",
    "RoleFactory",
    "RoleProxyFactory",
    "SalaryFigureFactory",
    "SiteContent",
    "SkillRatingFactory",
    "StaffUserFactory",
    "SuperuserFactory",
    "ToolCategoryFactory",
    "ToolFactory",
    "UserFactory",
    "WageDistributionFactory",
    "add_tie_breakers",
    "labour_figures_create",
    "labour_proxies_create",
    "make_quiz_version",
    "site_content_create",
]
