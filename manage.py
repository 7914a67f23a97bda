#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # Files this process creates (the SQLite database, the cache, keys) are the server's
    # alone: 0600, folders 0700.
    os.umask(0o077)
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
