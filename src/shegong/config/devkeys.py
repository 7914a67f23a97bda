"""Keys for a development checkout, written by an explicit step and never by settings.

`make run` calls ``python -m shegong.config.devkeys`` first: it creates var/ (0700) with
its media, static and cache folders, and a secret key and a field key (0600) for this
checkout only. Settings read these files under DEBUG alone; in production both keys come
from the environment (SHEGONG_SECRET_KEY, SHEGONG_FIELD_KEY) and settings refuse to start
without them. Plain Python, no Django: it runs before settings can load.
"""

import base64
import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent
SECRET_KEY_FILE = "secret_key"
FIELD_KEY_FILE = "field.key"


def var_dir() -> Path:
    return Path(os.environ.get("SHEGONG_VAR_DIR", BASE_DIR / "var"))


def read(var: Path, name: str) -> str:
    """A key file's content, or "" when there is none."""
    path = Path(var) / name
    return path.read_text().strip() if path.is_file() else ""


def _write_once(path: Path, text: str) -> bool:
    """Write aside, then link into place: the link fails if another process got there first,
    so every process ends up reading the one complete key."""
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.write_text(text)
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True


def prepare(var: Path) -> list[str]:
    """Create var/ and the development keys if missing; returns the names it wrote."""
    var = Path(var)
    old = os.umask(0o077)
    try:
        var.mkdir(parents=True, exist_ok=True)
        var.chmod(0o700)
        for name in ("media", "static", "cache"):
            (var / name).mkdir(exist_ok=True)
        written = []
        if _write_once(var / SECRET_KEY_FILE, secrets.token_urlsafe(50)):
            written.append(SECRET_KEY_FILE)
        field_key = base64.b64encode(secrets.token_bytes(32)).decode()
        if _write_once(var / FIELD_KEY_FILE, field_key):
            written.append(FIELD_KEY_FILE)
        return written
    finally:
        os.umask(old)


if __name__ == "__main__":
    where = var_dir()
    for name in prepare(where):
        print(f"wrote {where / name} (development only: back it up with the database)")
    sys.exit(0)
