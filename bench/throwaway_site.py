"""A throwaway gremium site for the benchmarks that need a database: settings from the
environment as in production (DEBUG off), data in a temporary folder, migrated."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_environment(data_dir: Path) -> dict[str, str]:
    """The environment a production server would get, on 127.0.0.1 without TLS."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "gremium.settings",
            "SECRET_KEY": "bench-" + "x" * 50,
            "GREMIUM_DATA_DIR": str(data_dir),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("DEBUG", None)
    return env


def setup(data_dir: Path | None = None) -> Path:
    """Configure Django in this process for a fresh site in `data_dir` (a new temporary
    folder by default; DATABASE_URL, when set, names the database instead) and migrate."""
    folder = data_dir or Path(tempfile.mkdtemp(prefix="gremium-bench-"))
    os.environ.update(production_environment(folder))
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    return folder
