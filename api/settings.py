"""One settings class: the workspace, the shared store, the web app's host, port and token.

Values come from the environment (``LIANGXIN_HOME``, ``LIANGXIN_HOST``, ``LIANGXIN_PORT``,
``LIANGXIN_TOKEN``, ``LIANGXIN_UPLOAD_LIMIT_MB``; Neo4j's usual ``NEO4J_URI``, ``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or a ``.env`` file in the working directory;
command-line options win.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Settings for the command line and the web app."""

    model_config = SettingsConfigDict(env_prefix="LIANGXIN_", env_file=".env", extra="ignore")

    home: Path = Field(default=Path("liangxin-data"), description="工作区文件夹")
    host: str = Field(default="127.0.0.1", description="liangxin serve 的监听地址")
    port: int = Field(default=8000, ge=1, le=65535, description="liangxin serve 的端口")
    token: SecretStr | None = Field(default=None, description="修改数据的接口所需的令牌")
    upload_limit_mb: int = Field(default=100, ge=1, description="网页上传台账的大小上限（MB）")
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
