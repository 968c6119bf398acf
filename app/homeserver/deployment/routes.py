"""Which client endpoints go to which Synapse process (from Synapse's docs/workers.md).

Only client-server routes: federation is closed, so the federation patterns of the docs
are left out on purpose. Anything not listed goes to the main process, which can answer
every endpoint; in particular the stream-writer endpoints whose writer is main (typing,
to-device, receipts, account data, push rules) stay there.
"""

from __future__ import annotations

_C = "^/_matrix/client/(api/v1|r0|v3|unstable)"
_C3 = "^/_matrix/client/(r0|v3|unstable)"

# Long-polling sync: all requests of one user go to one worker (its caches stay warm).
SYNC = (
    "^/_matrix/client/(r0|v3)/sync$",
    "^/_matrix/client/(api/v1|r0|v3)/events$",
    "^/_matrix/client/(api/v1|r0|v3)/initialSync$",
    "^/_matrix/client/(api/v1|r0|v3)/rooms/[^/]+/initialSync$",
)

# Pagination: every request for one room must reach the same worker.
ROOM_PAGINATION = (f"{_C}/rooms/.*/messages$",)

# Any generic worker may answer these (round robin).
CLIENT = (
    f"{_C}/createRoom$",
    f"{_C}/publicRooms$",
    f"{_C}/rooms/.*/joined_members$",
    f"{_C}/rooms/.*/context/.*$",
    f"{_C}/rooms/.*/members$",
    f"{_C}/rooms/.*/state$",
    "^/_matrix/client/v1/rooms/.*/hierarchy$",
    "^/_matrix/client/(v1|unstable)/rooms/.*/relations/",
    "^/_matrix/client/v1/rooms/.*/threads$",
    f"{_C3}/account/3pid$",
    f"{_C3}/account/whoami$",
    f"{_C3}/account/deactivate$",
    "^/_matrix/client/(r0|v3)/delete_devices$",
    f"{_C}/devices(/|$)",
    "^/_matrix/client/versions$",
    f"{_C}/rooms/.*/event/",
    f"{_C}/joined_rooms$",
    "^/_matrix/client/v1/rooms/.*/timestamp_to_event$",
    "^/_matrix/client/(api/v1|r0|v3|unstable/.*)/rooms/.*/aliases",
    f"{_C}/search$",
    f"{_C3}/user/.*/filter(/|$)",
    f"{_C}/directory/room/.*$",
    f"{_C3}/capabilities$",
    f"{_C3}/notifications$",
    # encryption
    f"{_C3}/keys/query$",
    f"{_C3}/keys/changes$",
    f"{_C3}/room_keys/",
    f"{_C3}/keys/upload",
    f"{_C}/keys/device_signing/upload$",
    f"{_C}/keys/signatures/upload$",
    # login
    f"{_C}/login$",
    f"{_C3}/register$",
    f"{_C3}/register/available$",
    f"{_C3}/password_policy$",
    # event sending (workers hand the event to the event persister)
    f"{_C}/rooms/.*/redact",
    f"{_C}/rooms/.*/send",
    f"{_C}/rooms/.*/state/",
    f"{_C}/rooms/.*/(join|invite|leave|ban|unban|kick)$",
    f"{_C}/join/",
    f"{_C}/knock/",
    f"{_C}/profile/",
    f"{_C3}/user_directory/search$",
)

# One-time key claims (any client worker), spaced out server-wide by nginx: see nginx.py.
KEY_CLAIM = (f"{_C3}/keys/claim$",)

# The media repository worker: uploads, downloads, thumbnails, and its admin APIs.
MEDIA = (
    "^/_matrix/media/",
    "^/_matrix/client/v1/media/",
    "^/_synapse/admin/v1/purge_media_cache$",
    "^/_synapse/admin/v1/room/.*/media.*$",
    "^/_synapse/admin/v1/user/.*/media.*$",
    "^/_synapse/admin/v1/media/.*$",
    "^/_synapse/admin/v1/quarantine_media/.*$",
    "^/_synapse/admin/v1/users/.*/media$",
)
