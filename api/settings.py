"""One settings class: the workspace, the shared store, the web app's host, port and token.

Values come from the environment (``LIANGXIN_HOME``, ``LIANGXIN_HOST``, ``LIANGXIN_PORT``,
``LIANGXIN_TOKEN``, ``LIANGXIN_UPLOAD_LIMIT_MB``, ``LIANGXIN_ALLOWED_HOSTS`` (comma-separated);
Neo4j's usual ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or a
``.env`` file in the working directory; command-line options win.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Settings for the command line and the web app."""

    model_config = SettingsConfigDict(env_prefix="LIANGXIN_", env_file=".env", extra="ignore")

    home: Path = Field(default=Path("liangxin-data"), description="工作区文件夹")
    host: str = Field(default="127.0.0.1", description="liangxin serve 的监听地址")
    port: int = Field(default=8000, ge=1, le=65535, description="liangxin serve 的端口")
    token: SecretStr | None = Field(default=None, description="修改数据的接口所需的令牌")
    upload_limit_mb: int = Field(default=100, ge=1, description="网页上传台账的大小上限（MB）")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="网页应用另外接受的主机名（逗号分隔），如 liangxin.example.gov.cn；"
        "127.0.0.1、localhost、[::1] 和监听地址总是接受",
    )
    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_URI", "LIANGXIN_NEO4J_URI")
    )
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "LIANGXIN_NEO4J_USER")
    )
    neo4j_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_PASSWORD", "LIANGXIN_NEO4J_PASSWORD"),
    )
    neo4j_database: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_DATABASE", "LIANGXIN_NEO4J_DATABASE"),
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """``LIANGXIN_ALLOWED_HOSTS=a.example, b.example`` (commas, spaces ignored)."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
