from django.contrib import admin

from samarbeid.arenas.models import Arena, Membership


@admin.register(Arena)
class ArenaAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "status"]
    search_fields = ["name", "short_name"]
    list_filter = ["kind", "status"]
    readonly_fields = ["version"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["arena", "municipality", "joined", "left"]
    list_filter = ["arena"]
    readonly_fields = ["version"]
