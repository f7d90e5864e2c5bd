"""Administration of users and the organisation (the admin role; no case content here)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from nmt.accounts.models import Agency, County, Municipality, Region, User
from nmt.accounts.services import sync_role

admin.site.site_header = _("NMT administration")
admin.site.site_title = _("NMT administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "agency", "region", "is_active")
    list_filter = ("role", "agency", "region", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role in NMT"), {"fields": ("role", "agency", "region")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in NMT"), {"fields": ("first_name", "last_name", "role", "agency", "region")}),
    )

    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (the user sets up a new app)"))
    def reset_second_factor(self, request, queryset):  # type: ignore[no-untyped-def]
        from nmt.web.two_factor import reset_second_factor

        for user in queryset:
            reset_second_factor(user)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        sync_role(obj)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "kind", "receives_referrals")
    list_filter = ("kind", "receives_referrals")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region")
    list_filter = ("region",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "county")
    list_filter = ("county__region", "county")
    search_fields = ("name", "code")
