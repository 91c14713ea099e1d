from django.contrib import admin

from samarbeid.registry.models import Municipality, MunicipalityChange, Population


class ChangeInline(admin.TabularInline):
    model = MunicipalityChange
    fk_name = "predecessor"
    extra = 1
    autocomplete_fields = ["successor"]
    verbose_name = "etterfølger (registreres manuelt for delte kommuner)"


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "name",
        "county_number",
        "valid_from",
        "valid_to",
        "organisation_number",
    ]
    search_fields = ["number", "name", "code"]
    list_filter = ["county_number"]
    inlines = [ChangeInline]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "count", "is_example_data"]
    search_fields = ["municipality__name", "municipality__number"]
    list_filter = ["year"]
