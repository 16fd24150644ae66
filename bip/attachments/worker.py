"""The extraction worker process: one JSON request per line on stdin, one result per line on stdout.

Its address space is limited (RLIMIT_AS) so a decompression bomb ends in MemoryError or a crash of this
process only; the parent (bip.attachments.pool) bounds wall-clock time and restarts a dead worker.
"""

from __future__ import annotations

import json
import os
import resource
import sys


def limit_memory(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or memory < hard:
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard if hard != resource.RLIM_INFINITY else memory))


def main() -> None:
    # the protocol gets its own copy of stdout; anything a library prints goes to stderr
    reply = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    limit_memory(int(sys.argv[1]))
    from bip.attachments.extract import extract_here, load_readers
    from bip.attachments.model import Limits

    load_readers()  # before "ready": a file's time limit is spent on the file, not on imports
    reply.write("ready\n")
    reply.flush()

    for line in sys.stdin:
        request = json.loads(line)
        result = extract_here(request["path"], request["kind"], Limits(**request["limits"]))
        reply.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
