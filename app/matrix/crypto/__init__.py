"""The app's own rules on top of nio's Olm/Megolm machine: when a room key counts as
delivered, when a session rotates, and which key requests are answered."""
