"""The project's URLs plus the floor view, used only while the benchmarks run (through
``override_settings(ROOT_URLCONF="bench.urls")``), so the floor is served through the same
middleware stack as the API without touching the project's own URL configuration."""

from django.urls import include, path

from .floors import bare_units

urlpatterns = [
    path("bench/units/", bare_units, name="bench-units"),
    path("", include("shegong.config.urls")),
]
