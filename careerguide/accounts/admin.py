from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import AdminLoginForm
from .models import User

admin.site.register(User, UserAdmin)
# The admin's log-in form, with the username's length checked (forms.AdminLoginForm).
admin.site.login_form = AdminLoginForm
