"""The room list, invitations and new rooms."""
