"""Service settings, read from `MEDEVAC_*` environment variables."""

import uuid
from pathlib import Path

from pydantic import Field, FilePath, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the service reads from its environment (see README, "Configuration")."""

    model_config = SettingsConfigDict(env_prefix="MEDEVAC_", extra="ignore")

    database_url: SecretStr | None = Field(
        default=None, description="PostgreSQL DSN; unset runs an embedded PostgreSQL in data_dir"
    )
    data_dir: Path = Field(default=Path(".medevac-data"), description="embedded PostgreSQL data")
    migrations_dir: Path | None = Field(
        default=None, description="numbered *.sql migrations; unset: the ones shipped in the package")
    scenarios_dir: Path | None = Field(default=None, description=(
        "scenario files (*.json) the console offers basing planners; unset: the ones shipped in the package"))
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: str | None = Field(default=None, description="URL printed for the console")
    log_format: str = Field(default="auto", pattern="^(auto|json|console)$")
    log_level: str = "info"
    pool_min_size: int = Field(default=2, ge=1)
    pool_max_size: int = Field(default=10, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="largest accepted request body")
    # A slow client costs a socket, never a database connection: bodies are read in full, within
    # these bounds, before a handler touches the pool (docs/reliability.md).
    body_timeout_s: float = Field(default=30.0, gt=0, le=600,
                                  description="a request body must arrive in full within this time (else 408)")
    # Above the 15 s an aiohttp client keeps an idle connection: the client lets go first, so it
    # never sends a request on a connection the server is closing at that moment.
    keepalive_timeout_s: float = Field(default=20.0, gt=0, le=300, description=(
        "a connection with no complete request head for this long is closed: slow headers and idle keep-alive"))
    live_per_token_max: int = Field(default=16, ge=1,
                                    description="open event streams and websockets per token, per replica")
    live_per_address_max: int = Field(default=1000, ge=1,
                                      description="open event streams and websockets per client address, per replica")
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
    basemap_mbtiles: FilePath | None = Field(default=None, description=(
        "the mission's own raster basemap (an MBTiles file), served to the console map as tiles"))
    event_loop: str = Field(default="uvloop", pattern="^(uvloop|asyncio)$",
                            description="uvloop (libuv: socket I/O in C) or the standard library's loop")

    # Interoperability (docs/interoperability.md): FHIR pre-alerts to facilities, a CoT feed for TAK devices.
    fhir_push_attempts: int = Field(default=5, ge=1, le=20, description="tries to deliver a pre-alert Bundle")
    fhir_push_backoff_s: float = Field(default=2.0, gt=0, le=300,
                                       description="wait before the 2nd try; doubles for each further try")
    fhir_push_timeout_s: float = Field(default=10.0, gt=0, le=120, description="one delivery attempt's time limit")
    cot_port: int = Field(default=0, ge=0, le=65535, description="TCP port of the CoT feed for TAK clients (0: off)")
    cot_host: str = Field(default="127.0.0.1", description="address the CoT feed listens on")
    cot_mission: uuid.UUID | None = Field(default=None, description="the mission the CoT feed shows and takes 9-lines for")
    cot_connect: str | None = Field(default=None, pattern=r"^[^\s:]+:\d{1,5}$",
                                    description="host:port of a TAK server to connect to as a client")
    cot_tls_cert: Path | None = Field(default=None, description="PEM certificate: the CoT feed speaks TLS")
    cot_tls_key: Path | None = Field(default=None, description="PEM private key of cot_tls_cert")
    cot_tls_ca: Path | None = Field(default=None, description="PEM CA: TAK clients must present a certificate it signed")
    cot_max_event_bytes: int = Field(default=65_536, ge=1024, le=4_194_304,
                                     description="largest CoT event accepted; larger ones are dropped and counted")
    cot_stale_s: int = Field(default=300, ge=2, description="how long a sent marker stays fresh on TAK clients")

    def dsn(self) -> str | None:
        return self.database_url.get_secret_value() if self.database_url else None
