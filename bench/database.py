"""The benchmark's own database, chosen before Django reads its settings.

SQLite runs use var/bench.sqlite3; PostgreSQL runs use ``<name>_bench`` on the same server
(created when missing). The developer's database is never touched.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


def choose_database() -> None:
    """Point DATABASE_URL at the benchmark's own database."""
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme if url else "sqlite"
    if scheme.startswith("sqlite"):
        var = Path(os.environ.get("SHEGONG_VAR_DIR", ROOT / "var"))
        var.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
        return
    if scheme not in PG_SCHEMES:
        sys.exit(f"bench: DATABASE_URL scheme {scheme!r} is not supported (SQLite, PostgreSQL).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "shegong"
    bench_name = name if name.endswith("_bench") else f"{name}_bench"
    _create_pg_database(url, bench_name)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + bench_name))


def pg_admin(url: str):
    """An autocommit connection to the server's ``postgres`` database, as DATABASE_URL's role."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        **{k: v for k, v in (cfg.get("OPTIONS") or {}).items() if isinstance(v, str)},
    }
    params = {k: v for k, v in params.items() if v is not None}
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def _create_pg_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    try:
        with pg_admin(url) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created PostgreSQL database {name}.")
    except psycopg.Error as exc:
        sys.exit(
            f"bench: cannot create or reach database {name!r}: {exc}\n"
            "The role needs CREATEDB, or create the database by hand."
        )


def setup_django(*, choose: bool = True) -> None:
    """Django on the benchmark's database (``choose=False``: on DATABASE_URL as it is)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.config.settings")
    # Query logging under DEBUG would grow without bound and slow every query.
    os.environ["SHEGONG_DEBUG"] = "0"
    # Outside DEBUG the keys must be in the environment: a development checkout's, from var/.
    from shegong.config import devkeys

    var = devkeys.var_dir()
    devkeys.prepare(var)
    os.environ.setdefault("SHEGONG_SECRET_KEY", devkeys.read(var, devkeys.SECRET_KEY_FILE))
    os.environ.setdefault("SHEGONG_FIELD_KEY", devkeys.read(var, devkeys.FIELD_KEY_FILE))
    if choose:
        choose_database()
    import django

    django.setup()


def pg_setting(name: str) -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]
