"""Users: people, staff, editors and superusers."""

import factory
from django.contrib.auth import get_user_model

TEST_PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(UserFactory):
    """A staff member with no permissions: may log in to the admin, and sees nothing there."""

    is_staff = True


class EditorFactory(StaffUserFactory):
    """A staff member in the Editors group (created by a data migration)."""

    @factory.post_generation
    def editors_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            from careerguide.accounts.models import EDITORS_GROUP

            obj.groups.add(Group.objects.get(name=EDITORS_GROUP))


class SuperuserFactory(StaffUserFactory):
    is_superuser = True
