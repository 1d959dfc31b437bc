"""Settings for the benchmarks: the site's own, as production would run it, plus a fixed-string view.

Debug is off (no query log, cached templates); the HTTPS-only switches that
production turns on are left off because the benchmarks talk plain HTTP on
127.0.0.1.
"""

from __future__ import annotations

import os
import warnings

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES

DEBUG = False
TEMPLATES[0]["OPTIONS"]["debug"] = False
ROOT_URLCONF = "benchmarks.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# Nothing is collected for the benchmarks: whitenoise serves the static files from the
# finders, so the browser benchmarks load the page's real CSS and scripts.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at")

# 0 renders the reading page's highlighted fragment on every request (the uncached figure).
STANCE_FRAGMENT_CACHE_SECONDS = int(os.environ.get("STANCE_FRAGMENT_CACHE_SECONDS", "600"))
