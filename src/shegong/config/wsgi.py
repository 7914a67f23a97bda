import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.config.settings")
# Files the server creates (the SQLite database, the cache) are its alone: 0600 / 0700.
os.umask(0o077)
application = get_wsgi_application()
