"""The app's own rules on top of nio's Olm/Megolm machine and vodozemac: when a room key
counts as delivered, when a session rotates, which key requests are answered, and how
to-device messages nobody can read are recorded and skipped (docs/architecture.md,
"Encryption layer")."""
