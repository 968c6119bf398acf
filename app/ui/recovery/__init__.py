"""Key recovery in the window: the recovery key dialogs and the Account menu."""
