"""URL map: staff pages under plain paths; the public pages are those in docs/interfaces.md."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from cme.accounts import views as account_views

# The admin signs in through the same password-and-TOTP pages as everything else.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "CME Tracker administration"

handler400 = "cme.web.views.bad_request"
handler403 = "cme.web.views.permission_denied"
handler404 = "cme.web.views.page_not_found"
handler500 = "cme.web.views.server_error"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("cme.web.urls")),
    path("", include("cme.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("cme.pupils.urls")),
    path("", include("cme.matching.urls")),
    path("", include("cme.referrals.urls")),
    path("", include("cme.cases.urls")),
    path("", include("cme.attendance.urls")),
    path("", include("cme.transfers.urls")),
    path("", include("cme.returns.urls")),
    path("", include("cme.provision.urls")),
    path("", include("cme.reports.urls")),
    path("admin/", admin.site.urls),
]
