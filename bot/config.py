"""Every setting and environment variable of careerbot, in one place."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The env file settings read besides the environment; empty turns it off (the test suite does,
# so a developer's `.env` never reaches it, subprocesses included).
ENV_FILE_VARIABLE = "CAREERBOT_ENV_FILE"


class Settings(BaseSettings):
    """Runtime configuration, read from the environment (and an optional `.env`)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Telegram endpoint (DESIGN.md contract names).
    telegram_bot_token: SecretStr | None = Field(None, alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: str = Field("https://api.telegram.org/bot", alias="TELEGRAM_BASE_URL")
    telegram_base_file_url: str = Field(
        "https://api.telegram.org/file/bot", alias="TELEGRAM_BASE_FILE_URL"
    )
    webhook_url: str | None = Field(None, alias="CAREERBOT_WEBHOOK_URL")
    webhook_port: int = Field(8443, alias="CAREERBOT_WEBHOOK_PORT")
    webhook_listen: str = Field("0.0.0.0", alias="CAREERBOT_WEBHOOK_LISTEN")
    webhook_secret: SecretStr | None = Field(None, alias="CAREERBOT_WEBHOOK_SECRET")
    # Seconds to connect to, write to and read from the Bot API (sending; getUpdates has its own).
    telegram_timeout: float = Field(5.0, alias="CAREERBOT_TELEGRAM_TIMEOUT")
    # Messages per second the bot allows itself; 0 turns the limiter off.
    rate_limit: float = Field(30, alias="CAREERBOT_RATE_LIMIT")
    admin_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, alias="CAREERBOT_ADMIN_IDS"
    )
    # Per-user flood guard: at most this many messages in `flood_window` seconds.
    flood_max_messages: int = Field(8, alias="CAREERBOT_FLOOD_MAX")
    flood_window: float = Field(3.0, alias="CAREERBOT_FLOOD_WINDOW")
    # Seconds the bot keeps waiting for an interview answer, a pasted résumé, a job description
    # or a /forget confirmation; after that the flow ends and text is a question again.
    conversation_timeout: float = Field(15 * 60, alias="CAREERBOT_CONVERSATION_TIMEOUT")

    # Where data lives.
    data_dir: Path = Field(Path("data"), alias="CAREERBOT_DATA_DIR")
    knowledge_dir: Path = Field(PROJECT_ROOT / "knowledge", alias="CAREERBOT_KNOWLEDGE_DIR")
    database_url: str | None = Field(None, alias="CAREERBOT_DATABASE_URL")
    chroma_host: str | None = Field(None, alias="CHROMA_HOST")
    chroma_port: int = Field(8000, alias="CHROMA_PORT")
    collection: str = Field("careerbot", alias="CAREERBOT_COLLECTION")

    # How often a running bot looks at the index manifest for a re-ingest (0: never).
    index_check_seconds: float = Field(10, alias="CAREERBOT_INDEX_CHECK_SECONDS")

    # Logging: one line per update at INFO (hashed user, kind of reply, latency), never text.
    log_level: str = Field("INFO", alias="CAREERBOT_LOG_LEVEL")
    # Key of the user-id hash in logs; unset, one derived from the bot token (same on replicas).
    log_salt: SecretStr | None = Field(None, alias="CAREERBOT_LOG_SALT")
    # Health endpoint (GET /healthz); served in webhook mode, and in polling mode when set.
    health_port: int | None = Field(None, alias="CAREERBOT_HEALTH_PORT")

    # Scheduler clock for the daily quiz.
    tick_seconds: float = Field(30, alias="CAREERBOT_TICK_SECONDS")

    # Optional LLM generator (off unless a base URL and model are set).
    llm_base_url: str | None = Field(None, alias="CAREERBOT_LLM_BASE_URL")
    llm_model: str | None = Field(None, alias="CAREERBOT_LLM_MODEL")
    llm_api_key: SecretStr | None = Field(None, alias="CAREERBOT_LLM_API_KEY")
    llm_timeout: float = Field(20, alias="CAREERBOT_LLM_TIMEOUT")

    # Query embedding backend: "auto" (ONNX if built, else torch), "onnx" or "torch".
    embedder: str = Field("auto", alias="CAREERBOT_EMBEDDER")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: object) -> object:
        level = str(value).strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @cached_property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @cached_property
    def index_dir(self) -> Path:
        """Side indexes owned by ingest (BM25, manifest, ONNX model)."""
        return self.data_dir / "index"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'careerbot.sqlite3').resolve()}"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def env_file() -> str | None:
    """`.env` in the working directory unless CAREERBOT_ENV_FILE names another file or none."""
    return os.environ.get(ENV_FILE_VARIABLE, ".env") or None


def get_settings(**overrides: object) -> Settings:
    """Fresh settings from the environment, with explicit overrides (tests use these)."""
    return Settings(_env_file=env_file(), **overrides)
