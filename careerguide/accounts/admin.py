from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import services
from .forms import AccountCreationForm
from .models import User


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Django's user admin, whose delete goes through the same service as a person's own, so
    nothing of the account is left behind (figures, log-in records, caches); unticking
    "active" goes through the deactivation service, which takes its share links down."""

    add_form = AccountCreationForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(user=obj)

    def delete_model(self, request, obj):
        services.user_remove(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_remove(user=user)
