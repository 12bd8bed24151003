"""What went wrong at start, in one line naming the fix: for operators, never a traceback."""

from __future__ import annotations

from bot.config import Settings

DATABASE_FIX = "fix CAREERBOT_DATABASE_URL"


def safe_url(url: str) -> str:
    """The URL with its password masked: error lines end up in logs and terminals."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not even a URL: say so without echoing it
        return "(unparsable URL)"


def database_problem(exc: BaseException, url: str) -> str | None:
    """SQLAlchemy's errors, as the operator should read them; None if `exc` is not one."""
    from sqlalchemy import exc as sa

    where = safe_url(url)
    if isinstance(exc, sa.NoSuchModuleError) or (
        isinstance(exc, ModuleNotFoundError) and "psycopg" in str(exc)
    ):
        return f"no database driver for {where} is installed: install it, or {DATABASE_FIX}"
    if isinstance(exc, sa.ArgumentError):
        return f"CAREERBOT_DATABASE_URL is not a database URL ({where}): {DATABASE_FIX}"
    if not isinstance(exc, sa.DBAPIError):
        return None
    text = str(exc.orig or exc).strip()
    detail, lowered = (text.splitlines() or [""])[0], text.lower()
    if "authentication failed" in lowered:
        return f"the database at {where} rejected the user or password: {DATABASE_FIX}"
    if any(
        sign in lowered
        for sign in ("connection refused", "could not connect", "timeout expired", "no route")
    ):
        return (
            f"cannot reach the database server at {where}: start it, or {DATABASE_FIX} ({detail})"
        )
    if "does not exist" in lowered and "database" in lowered:
        return f"the database at {where} does not exist: create it, or {DATABASE_FIX}"
    if "unable to open database file" in lowered:
        return (
            f"cannot open the SQLite file of {where}: check that its directory exists and is "
            f"writable, or {DATABASE_FIX}"
        )
    return f"the database at {where} cannot be used ({detail}): {DATABASE_FIX}"


def startup_problem(exc: BaseException, settings: Settings) -> str | None:
    """One line for a known start-up failure (index, Chroma, database), else None."""
    from bot.core.store.schema import SchemaError
    from bot.knowledge.index import IndexProblem

    if isinstance(exc, IndexProblem | SchemaError):
        return str(exc)
    if isinstance(exc, OSError) and _is_data_path(str(exc.filename or ""), settings):
        # e.g. the SQLite file's directory cannot be created where the URL points.
        return (
            f"cannot use {exc.filename} ({exc.strerror}); the database is "
            f"{safe_url(settings.db_url)}: fix CAREERBOT_DATABASE_URL or CAREERBOT_DATA_DIR"
        )
    return database_problem(exc, settings.db_url)


def _is_data_path(path: str, settings: Settings) -> bool:
    """`path` is the data dir, the SQLite file, or on the way to or inside either."""
    from sqlalchemy.engine import make_url

    try:
        database = make_url(settings.db_url).database or ""
    except Exception:  # noqa: BLE001 - an unparsable URL has no file
        database = ""
    places = [str(settings.data_dir.resolve()), database]
    return bool(path) and any(
        place and (place.startswith(path) or path.startswith(place)) for place in places
    )


def settings_problem(exc: Exception) -> str:
    """pydantic's validation error as one line: which variable, what is wrong with it."""
    errors = getattr(exc, "errors", lambda: [])()
    parts = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors]
    return "; ".join(parts) or str(exc).splitlines()[0]
