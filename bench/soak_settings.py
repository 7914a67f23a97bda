"""The soak's gunicorn runs the project's settings with the benchmark URLs (``bench/urls.py``:
the project's, plus the floor view), so the floor is served by the same server and stack."""

from shegong.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
