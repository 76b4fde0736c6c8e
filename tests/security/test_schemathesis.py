"""Schemathesis against the live service's /openapi.json: every operation, every role's token.

No response may be a 5xx or break the document (status documented, content type, body schema).
Each operation gets a bounded number of examples per role, most of them with real path ids
(so handlers run past the 404), the rest with generated ones.
"""

import asyncio

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from medevac.auth import ROLES

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_ALLOWED = 10  # per operation and role that may call it
EXAMPLES_DENIED = 2  # a role that gets 403 anyway: enough to check the 403 is documented


class Fuzzer:
    """Runs operations against one server with one session; collects every failure."""

    def __init__(self, base_url: str, session: requests.Session) -> None:
        self.base_url = base_url
        self.session = session
        self.failures: list[str] = []
        self.calls = 0

    def run(self, operation, strategy, role: str, headers: dict, examples: int) -> None:
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def example(case):
            self.calls += 1
            try:
                case.call_and_validate(base_url=self.base_url, session=self.session, headers=headers,
                                       checks=CHECKS, timeout=30)
            except FailureGroup as group:  # collected, reported together
                for failure in group.exceptions:
                    self.failures.append(f"{operation.label} as {role}: {failure.title}: {failure.message[:400]}")
            except requests.RequestException as failure:
                self.failures.append(f"{operation.label} as {role}: no response: {failure}")

        example()


def fuzz(base_url: str, headers_by_role: dict[str, dict], ids: dict[str, str]) -> Fuzzer:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    with requests.Session() as session:
        fuzzer = Fuzzer(base_url, session)
        for result in schema.get_all_operations():
            operation = result.ok()
            if "text/event-stream" in str(operation.definition.raw) or operation.path.endswith("/ws"):
                continue  # long-lived streams: covered by the access and log tests
            real = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
            strategy = operation.as_strategy()
            if real:
                strategy = st.one_of(operation.as_strategy(path_parameters=real), strategy)
            allowed = set(operation.definition.raw.get("x-roles", []))
            for role, headers in headers_by_role.items():
                examples = EXAMPLES_ALLOWED if role in allowed else EXAMPLES_DENIED
                fuzzer.run(operation, strategy, role, headers, examples)
    return fuzzer


async def test_every_operation_for_every_role_conforms(live_server, live_world):
    headers = {role: live_world.headers[role] for role in ROLES}
    fuzzer = await asyncio.to_thread(fuzz, live_server.url, headers, live_world.ids)
    assert fuzzer.calls > 400, fuzzer.calls  # every operation really ran for every role
    failures = fuzzer.failures
    distinct = sorted(set(failures))
    assert not distinct, "\n\n".join(distinct[:400]) + f"\n\n({len(distinct)} distinct failures)"
    assert '"http.unhandled_error"' not in live_server.output()
