"""One row read by its id, or written from a mapping (each column beside its value, not 20 places apart)."""

from typing import Any

import asyncpg

# A column's value taken from the transaction's clock (`now()`), not from Python's.
NOW = object()


async def insert_row(conn: asyncpg.Connection, table: str, values: dict[str, Any], returning: str) -> asyncpg.Record:
    """INSERT `values` ({column: value}; NOW for `now()`) into `table`, RETURNING `returning`."""
    placeholders, args = [], []
    for value in values.values():
        if value is NOW:
            placeholders.append("now()")
        else:
            args.append(value)
            placeholders.append(f"${len(args)}")
    return await conn.fetchrow(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(placeholders)}) RETURNING {returning}",
        *args)


async def by_id(conn: asyncpg.Connection, table: str, columns: str, ident: object, *,
                for_update: bool = False) -> asyncpg.Record | None:
    """The row of `table` whose id is `ident` (locked for the transaction with `for_update`)."""
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT {columns} FROM {table} WHERE id = $1{lock}", ident)


async def page(conn: asyncpg.Connection, select: str, equal: dict[str, Any], *, after: Any, limit: int,
               id_column: str = "id") -> list[asyncpg.Record]:
    """A keyset page of `select` (SELECT … FROM …): the rows whose columns hold `equal`'s values
    (a None value filters nothing), in id order after `after`, at most `limit` of them."""
    terms = [(f"{column} = ", value) for column, value in equal.items() if value is not None]
    if after is not None:
        terms.append((f"{id_column} > ", after))
    where = " AND ".join(f"{term}${n}" for n, (term, _) in enumerate(terms, 1)) or "true"
    return await conn.fetch(f"{select} WHERE {where} ORDER BY {id_column} LIMIT ${len(terms) + 1}",
                            *(value for _, value in terms), limit)
