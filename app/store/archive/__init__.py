"""The archive: every event this client has seen, kept for the public record.

One class assembled from parts by job, each in its own module: ``ingest`` (synced batches,
history pages, late decryptions), ``reads``, ``search``, ``chain`` (the per-room hash
chain), ``spans`` (what seals compare) and ``gaps`` (holes in history), over ``base``
(engine, account, row helpers).
"""

from app.store.archive.chain import Chain
from app.store.archive.gaps import Gaps
from app.store.archive.ingest import Ingest
from app.store.archive.reads import Reads
from app.store.archive.search import Search
from app.store.archive.spans import Spans


class Archive(Ingest, Reads, Search, Chain, Spans, Gaps):
    """Read and write the event archive (events and rooms are shared; ``account`` scopes
    only the sync token).

    Synchronous by design: the backend calls it from its single store executor thread.
    """


__all__ = ["Archive"]
