"""What the room list shows about a room, computed without nio (``names``), and the
list a new device's first sync will give (``first_sync``), before nio has loaded."""
