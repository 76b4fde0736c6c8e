"""The consult state machine as data: which action may move a consult from where to where."""

from medevac.errors import conflict

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "offer": (frozenset({"unmatched", "offered"}), "offered"),
    "broadcast": (frozenset({"unmatched", "offered"}), "broadcast"),
    "unmatch": (frozenset({"unmatched", "offered", "broadcast"}), "unmatched"),
    "accept": (frozenset({"offered", "broadcast"}), "accepted"),
    "decline": (frozenset({"offered", "broadcast"}), "offered"),  # the broker decides what follows
    "cancel": (frozenset({"unmatched", "offered", "broadcast", "accepted"}), "cancelled"),
    "close": (frozenset({"accepted"}), "closed"),
}
# The timestamp each arrival status stamps, so every transition leaves its time behind.
STAMPS = {"accepted": "accepted_at", "closed": "closed_at", "cancelled": "cancelled_at",
          "broadcast": "broadcast_at"}


def next_status(current: str, action: str) -> str:
    """The status `action` leads to from `current`, or 409 naming what is allowed."""
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        raise conflict(f"cannot {action} a consult that is {current}",
                       consult_status=current, allowed_from=sorted(allowed))
    return target
