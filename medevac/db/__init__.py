"""Database: the embedded server, the pool and the migrations."""

import asyncio

import asyncpg

# Connection-level failures mean "the database is away", not "the request was wrong". A server
# shutting down ends sessions with 57P01/57P02, and a session it cut mid-query can surface as
# asyncpg's InternalClientError when the pool resets that connection.
UNAVAILABLE = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
)
# A background loop has no caller to answer: any database failure means "try again later".
RETRYABLE = (*UNAVAILABLE, asyncpg.PostgresError)
