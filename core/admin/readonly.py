"""Admin screens that show rows and never change them: a read-only inline, and a list of
people's own rows that only superusers see."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows its `fields` and offers no way to add, change or delete a row."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only superusers see, and nobody adds, changes or deletes in the admin (people's
    own data, shown for investigating a problem)."""

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
