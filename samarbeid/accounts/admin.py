from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from samarbeid.accounts.forms import (
    PasswordChangeByAdminForm,
    UserWithAddressChangeForm,
    UserWithAddressCreationForm,
)
from samarbeid.accounts.models import ApiToken, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "arena", "municipality"]
    list_filter = ["role"]
    autocomplete_fields = ["arena", "municipality"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created", "last_used", "revoked"]
    readonly_fields = ["prefix", "key_hash", "created", "last_used"]


# Users are made in the admin (README: Roles): its forms refuse an e-mail address another
# user has, as the contact page does (django.contrib.auth, before us in INSTALLED_APPS,
# registered the plain UserAdmin)
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithAddressAdmin(UserAdmin):
    form = UserWithAddressChangeForm
    add_form = UserWithAddressCreationForm
    change_password_form = PasswordChangeByAdminForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
