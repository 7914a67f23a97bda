"""The project's URLs plus the floor views, used only while the benchmarks run (through
``override_settings(ROOT_URLCONF="bench.urls")``, and by the soak's gunicorn through
``bench.soak_settings``), so a floor is served through the same middleware stack as the API
without touching the project's own URL configuration."""

from django.urls import include, path

from .floors import bare_clients, bare_overdue, bare_units, signed_in

urlpatterns = [
    path("bench/clients/", bare_clients, name="bench-clients"),
    path("bench/overdue/", bare_overdue, name="bench-overdue"),
    path("bench/units/", bare_units, name="bench-units"),
    path("bench/signed-in/", signed_in, name="bench-signed-in"),
    path("", include("shegong.config.urls")),
]
