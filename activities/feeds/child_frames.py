"""What a parsing child and the worker say to each other: length-prefixed frames.

The worker sends a JSON header (the job and the URL) and the bytes; the child answers STARTED
once the job's CPU limit is set, then one JSON outcome. It exits at EOF.
"""

import struct

FRAME_LENGTH = struct.Struct(">I")
# Told apart from any JSON outcome: a death before it cannot be the new parse's doing.
STARTED = b"started"


def frame(payload: bytes) -> bytes:
    return FRAME_LENGTH.pack(len(payload)) + payload
