"""Crisis sessions in the window: the Session menu, convening, participants."""
