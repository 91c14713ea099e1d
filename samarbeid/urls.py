from django.contrib import admin
from django.urls import include, path

from samarbeid.api import api
from samarbeid.arenas import municipality_views
from samarbeid.core.locale import choose_language
from samarbeid.portal import views as portal_views
from samarbeid.registry import urls as registry_urls
from samarbeid.signin import views as signin_views

# The register's pages, with the municipality's page that arenas serves (it lists the
# municipality's arenas, which the register below arenas does not know).
register = [
    *registry_urls.urlpatterns,
    path(
        "<str:code>/",
        municipality_views.municipality_detail,
        name="municipality_detail",
    ),
]

urlpatterns = [
    path("", include("samarbeid.portal.urls")),
    path("kommuner/", include((register, registry_urls.app_name))),
    # a municipality's planning strategies, under its page (each view takes its code)
    path("kommuner/<str:code>/planstrategi/", include("samarbeid.planning.urls")),
    path("arenaer/", include("samarbeid.arenas.urls")),
    path("saker/", include("samarbeid.governance.urls")),
    path("prosjekter/", include("samarbeid.portfolio.urls")),
    path("okonomi/", include("samarbeid.finance.urls")),
    path("strategi/", include("samarbeid.strategy.urls")),
    path("gjennomgang/", include("samarbeid.review.urls")),
    path("samlinger/", include("samarbeid.workshops.urls")),
    path("rapporter/", include("samarbeid.reports.urls")),
    path("moter/", include("samarbeid.meetings.urls")),
    path("konto/paminnelser/", include("samarbeid.reminders.urls")),
    path("konto/", include("samarbeid.accounts.urls")),
    path("historikk/", include("samarbeid.audit.urls")),
    path("arkiv/", include("samarbeid.archive.urls")),
    path("oparl/v1/", include("samarbeid.oparl.urls")),
    path("oppgaver/", include("samarbeid.jobs.urls")),
    path("api/v1/", api.urls),
    path("healthz", portal_views.healthz, name="healthz"),
    # Django's set_language without a token in the form, so public pages cache whole
    path("i18n/", include([path("setlang/", choose_language, name="set_language")])),
    path("logg-inn/", signin_views.SignInView.as_view(), name="login"),
    path("logg-inn/oidc/", include("samarbeid.signin.urls")),
    path("logg-ut/", signin_views.sign_out, name="logout"),
    path("admin/", admin.site.urls),
]

# The 404 page, or under /api/ a problem+json answer.
handler404 = "samarbeid.core.not_found.not_found"
