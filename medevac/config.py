"""Service settings, read from `MEDEVAC_*` environment variables."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything the service reads from its environment (see README, "Configuration")."""

    model_config = SettingsConfigDict(env_prefix="MEDEVAC_", extra="ignore")

    database_url: SecretStr | None = Field(
        default=None, description="PostgreSQL DSN; unset runs an embedded PostgreSQL in data_dir"
    )
    data_dir: Path = Field(default=Path(".medevac-data"), description="embedded PostgreSQL data")
    migrations_dir: Path = Field(default=REPO_ROOT / "sql", description="numbered *.sql migrations")
    scenarios_dir: Path = Field(default=REPO_ROOT / "scenarios",
                                description="scenario files (*.json) the console offers basing planners")
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: str | None = Field(default=None, description="URL printed for the console")
    log_format: str = Field(default="auto", pattern="^(auto|json|console)$")
    log_level: str = "info"
    pool_min_size: int = Field(default=2, ge=1)
    pool_max_size: int = Field(default=10, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="largest accepted request body")
    token_ttl_days: int = Field(default=30, ge=1, description="default lifetime of a new token")
    rate_calls_per_minute: int = Field(default=1200, ge=1, description="API calls per user per minute")
    rate_creates_per_minute: int = Field(default=120, ge=1, description="creations per user per minute")
    rate_failed_auth_per_minute: int = Field(default=30, ge=1, description="bad tokens per address per minute")
    allowed_origins: list[str] = Field(default_factory=list, description="extra websocket/CORS origins")
    telemed_answer_targets_s: dict[str, int] = Field(
        default={"emergency": 300, "urgent": 1800, "routine": 86400},
        description="default seconds to an answered consult, by urgency (a mission may set its own)")
    telemed_offer_timeouts_s: dict[str, int] = Field(
        default={"emergency": 60, "urgent": 300, "routine": 3600},
        description="default seconds an offer waits for one specialist before moving on, by urgency")
    telemed_sweep_interval_s: float = Field(default=5.0, gt=0, description="offer-timeout sweeper period")
    telemed_attachment_max_bytes: int = Field(default=10_485_760, ge=1024,
                                              description="largest consult attachment (image or PDF)")
    turn_urls: list[str] = Field(default_factory=list, description="TURN/STUN URLs handed to WebRTC peers")
    turn_secret: SecretStr | None = Field(default=None, description="coturn static-auth-secret (REST API)")
    turn_ttl_s: int = Field(default=3600, ge=60, description="lifetime of minted TURN credentials")
    shutdown_grace_s: float = Field(default=10.0, gt=0, le=300,
                                    description="on SIGTERM, how long in-flight requests may take to finish")
    # One batch per console per period: a wake-up and a socket write per event per console was the
    # largest cost of fan-out. 0.2 s against 0.1 s: fan-out p50 ~115 ms instead of ~60, and the load
    # bench's machine at 134-165 % CPU at 200 req/s instead of 146-174 % (README, Reliability).
    stream_coalesce_s: float = Field(default=0.2, ge=0, le=2.0, description=(
        "live streams get at most one batch of events this often (a lone event after a quiet spell goes at once)"))
    # A link that dies silently (radio, satellite) closes nothing: only a missed heartbeat tells
    # the console its "Live" badge is a lie. 5 s: amber within ~8 s, red within ~18 s.
    heartbeat_s: float = Field(default=5.0, gt=0, le=60, description=(
        "the event stream and the consult websocket send a heartbeat this often; consoles mark the link "
        "amber after one missed, red after three"))
    event_loop: str = Field(default="uvloop", pattern="^(uvloop|asyncio)$",
                            description="uvloop (libuv: socket I/O in C) or the standard library's loop")

    def dsn(self) -> str | None:
        return self.database_url.get_secret_value() if self.database_url else None
