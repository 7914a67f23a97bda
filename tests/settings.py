"""The test run's settings: the project's, with fixed keys given as production gives them
(the environment), so tests never read or write the developer's var/ keys."""

import base64
import os

os.environ.setdefault("SHEGONG_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault(
    "SHEGONG_FIELD_KEY", base64.b64encode(b"tests-only-field-key-32-bytes!!!").decode()
)

from shegong.config.settings import *  # noqa: E402,F403
