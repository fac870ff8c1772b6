"""List actions offered as buttons on an object's page too (ObjectActionsMixin)."""

from functools import partial

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse


class ObjectActionsMixin:
    """For a ModelAdmin: some of its list actions, also offered as buttons on an object's page.

    `object_actions` maps a URL segment to an action's name: a POST to <object id>/<segment>/
    (URL name "<app>_<model>_<segment>") runs the action on that one object, after the action's
    own permission checks, then goes back to the object's page unless the action answers with
    a response of its own. The change form's template draws the buttons.
    """

    object_actions: dict[str, str] = {}

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                f"<path:object_id>/{segment}/",
                self.admin_site.admin_view(partial(self.object_action_view, action=action)),
                name=f"{info}_{segment}",
            )
            for segment, action in self.object_actions.items()
        ] + super().get_urls()

    def object_action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        func, _, _ = self.get_action(action)
        for permission in getattr(func, "allowed_permissions", ()):
            if not getattr(self, f"has_{permission}_permission")(request):
                raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        response = func(self, request, self.get_queryset(request).filter(pk=obj.pk))
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return response or HttpResponseRedirect(reverse(f"admin:{info}_change", args=[obj.pk]))
