"""CoT over a TCP stream: XML events back to back, each ending with `</event>`. No event may grow past
the size limit: its bytes are dropped as they come (never held) until its end, and the stream goes on."""

END = b"</event>"
OVERSIZE = None  # in place of an event that was too large


class Framer:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buffer = bytearray()
        self.discarding = False

    def feed(self, data: bytes) -> list[bytes | None]:
        """Complete events in `data` (after what came before); OVERSIZE for each one dropped."""
        self.buffer += data
        found: list[bytes | None] = []
        while True:
            end = self.buffer.find(END)
            if end < 0:
                break
            event = bytes(self.buffer[:end + len(END)])
            del self.buffer[:end + len(END)]
            if self.discarding:
                self.discarding = False  # the end of the event already reported as oversize
            elif len(event) > self.limit:
                found.append(OVERSIZE)
            else:
                found.append(event)
        if len(self.buffer) > self.limit:
            if not self.discarding:
                found.append(OVERSIZE)
                self.discarding = True
            del self.buffer[:-(len(END) - 1)]  # keep what could be the start of `</event>`
        return found
